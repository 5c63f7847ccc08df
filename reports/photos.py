"""Photos in reports: small copies laid out two to a row with their names.

Phones take 3–12 MB photos; a dossier prints dozens of them at a few centimetres. Each is
shrunk to ``MAX_PIXELS`` on its longer side by ``forms.thumbnails`` (the one place photos are
scaled: a JPEG decoded in its draft mode, turned upright by its EXIF orientation), so a
50-branch dossier stays a few megabytes. A file that is not an image is listed by name instead.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from io import BytesIO

from PIL import Image as PILImage
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Table, TableStyle

from forms.thumbnails import scaled_image
from reports.document import CONTENT_WIDTH
from reports.markup import para
from reports.styles import styles

MAX_PIXELS = 900
PHOTO_HEIGHT = 55 * mm


def thumbnail(data: bytes) -> bytes | None:
    """``data`` (a PNG, JPEG or GIF photo) at most ``MAX_PIXELS`` on its longer side; ``None``
    when it is not a readable image."""
    return _thumbnail(hashlib.sha256(data).hexdigest(), data)


@functools.lru_cache(maxsize=512)
def _thumbnail(digest: str, data: bytes) -> bytes | None:
    return scaled_image(data, MAX_PIXELS)


def photo_cell(name: str, jpeg: bytes, width: float) -> list[Flowable]:
    """One photo scaled into ``width`` × ``PHOTO_HEIGHT``, its name underneath."""
    with PILImage.open(BytesIO(jpeg)) as image:
        w, h = image.size
    scale = min(width / w, PHOTO_HEIGHT / h)
    return [Image(BytesIO(jpeg), width=w * scale, height=h * scale), para(name, styles().small)]


def photo_grid(photos: Sequence[tuple[str, bytes]], columns: int = 2) -> Flowable:
    """``(name, JPEG)`` pairs (``thumbnail`` output) in a borderless grid."""
    width = CONTENT_WIDTH / columns - 6
    cells = [photo_cell(name, jpeg, width) for name, jpeg in photos]
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    rows[-1] += [[]] * (columns - len(rows[-1]))
    table = Table(rows, colWidths=[CONTENT_WIDTH / columns] * columns)
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER")])
    )
    return table
