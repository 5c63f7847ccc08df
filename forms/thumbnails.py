"""Smaller copies of uploaded photos: thumbnails for lists, a screen-sized copy for the column,
a print-sized one for PDFs, so a 5 MB phone photo is not sent or embedded where 200 pixels do.

Only images the upload checks accept (``forms.file_content``: PNG, JPEG, GIF by their bytes, a
sane pixel count) are scaled. A JPEG is decoded at a reduced scale (its own draft mode: 1/2,
1/4, 1/8), which makes a 12-megapixel photo several times cheaper to shrink; the copy is turned
upright by its EXIF orientation (phones store it sideways, and PDFs ignore the tag).
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

from forms.file_content import MAX_IMAGE_PIXELS, is_image

THUMBNAIL = 360  # longest side of a list's thumbnail (shown 180 px wide, sharp on 2× screens)
SCREEN = 1280  # longest side of a photo shown in the column
PRINT = 1200  # longest side of a photo printed in a PDF (8 cm at about 380 dpi)
_ORIENTATION = 0x0112  # EXIF tag: how the camera was held


def scaled(data: bytes, longest: int) -> bytes:
    """``data`` scaled so its longest side is at most ``longest`` pixels; unchanged when it is
    small and upright already, or not an image we accept (the caller treats it as a file)."""
    return scaled_image(data, longest) or data


def scaled_image(data: bytes, longest: int) -> bytes | None:
    """``data`` as an upright image at most ``longest`` pixels on its longer side (JPEG, or PNG
    when it has transparency; the bytes themselves when they need no change); None when they
    are not an image we accept."""
    if not is_image(data):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                width, height = opened.size
                if width * height > MAX_IMAGE_PIXELS:
                    return None
                upright = opened.getexif().get(_ORIENTATION, 1) == 1
                if max(width, height) <= longest and upright and opened.format != "GIF":
                    return data
                opened.draft("RGB", (longest, longest))  # JPEG only; others ignore it
                image = ImageOps.exif_transpose(opened)
                image.thumbnail((longest, longest))
                out = io.BytesIO()
                if image.mode in ("RGBA", "LA", "P"):
                    image.save(out, format="PNG", optimize=True)
                else:
                    image.convert("RGB").save(out, format="JPEG", quality=80)
                return out.getvalue()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        return None
