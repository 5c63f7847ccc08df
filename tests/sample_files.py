"""Small real files for upload tests: uploads are checked by content (``forms.file_content``),
so a test file must be what its name says."""

from __future__ import annotations

import functools
import io

from PIL import Image


@functools.cache
def image(kind: str = "PNG", size: tuple[int, int] = (4, 3)) -> bytes:
    """A tiny image of ``kind`` (``PNG``, ``JPEG``, ``GIF``) that Pillow opens."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, kind)
    return out.getvalue()


PNG = image("PNG")
JPEG = image("JPEG")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
