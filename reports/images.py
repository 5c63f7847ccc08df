"""Photos printed in PDFs (the news report's images, a bulletin article's, any form's photo
attachments): each scaled to fit, centred, with its caption beneath.

The caller reads the bytes from its store (reports never reach storage). An image ReportLab
cannot read prints as a note, not an error: uploads are checked by content when stored, older
ones may not have been.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Spacer

from i18n import Lang, t
from reports.document import CONTENT_WIDTH
from reports.markup import para
from reports.styles import styles

MAX_WIDTH = CONTENT_WIDTH * 0.75
MAX_HEIGHT = 8 * cm


def image_flowables(images: Iterable[tuple[bytes, str]], lang: Lang) -> list[Flowable]:
    """Each ``(bytes, caption)`` as an image scaled to fit, centred, its caption beneath
    (escaped like every text printed)."""
    caption_style = ParagraphStyle("caption", parent=styles().small, alignment=1, spaceAfter=6)
    out: list[Flowable] = []
    for data, caption in images:
        try:
            reader = ImageReader(io.BytesIO(data))
            width, height = reader.getSize()
        except Exception:  # Pillow raises many kinds on damaged or foreign bytes
            out.append(para(t("reports.bulletin.bad_image", lang), caption_style))
            continue
        scale = min(MAX_WIDTH / width, MAX_HEIGHT / height, 1.0)
        flowable = Image(io.BytesIO(data), width=width * scale, height=height * scale)
        flowable.hAlign = "CENTER"
        out += [Spacer(1, 4), flowable]
        if caption:
            out.append(para(caption, caption_style))
    return out
