"""Smaller copies of uploaded photos: thumbnails for lists, a screen-sized copy for the column
and a print-sized one for PDFs, so a 5 MB phone photo is not sent where 200 pixels do.

Only images the upload checks accept (``forms.file_content``: PNG, JPEG, GIF by their bytes, a
sane pixel count) are scaled; anything else comes back unchanged for the caller to treat as a
file. The photo is turned upright by its EXIF orientation (phones store it sideways).
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

from forms.file_content import MAX_IMAGE_PIXELS, is_image

THUMBNAIL = 360  # longest side of a list's thumbnail (shown 180 px wide, sharp on 2× screens)
SCREEN = 1280  # longest side of a photo shown in the column
PRINT = 1200  # longest side of a photo printed in a PDF (8 cm at about 380 dpi)


def scaled(data: bytes, longest: int) -> bytes:
    """``data`` scaled so its longest side is at most ``longest`` pixels (JPEG, or PNG when
    it has transparency); unchanged when already that small or not an image we accept."""
    if not is_image(data):
        return data
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                width, height = opened.size
                if width * height > MAX_IMAGE_PIXELS:
                    return data
                if max(width, height) <= longest and opened.format in ("JPEG", "PNG"):
                    return data
                image = ImageOps.exif_transpose(opened)
                image.thumbnail((longest, longest))
                out = io.BytesIO()
                if image.mode in ("RGBA", "LA", "P"):
                    image.save(out, format="PNG", optimize=True)
                else:
                    image.convert("RGB").save(out, format="JPEG", quality=85)
                return out.getvalue()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        return data
