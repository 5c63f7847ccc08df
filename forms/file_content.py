"""What an uploaded file really is: checked by its bytes, not by the name the browser sent.

A name ending in ``.png`` says nothing: HTML, a script or an executable renamed ``x.png`` was
accepted before. Here a file is accepted for an attachment field only when its name's suffix is
one the field allows, its bytes start with that type's signature ("magic bytes"), an image opens
in Pillow with a sane size, and it is within the field's ``max_bytes``. The renderer calls
``upload_problem`` as files are picked (immediate feedback) and
``workflow.attachments.AttachmentService`` calls it again before storing anything. The name
kept is ``safe_file_name``'s, the type kept (and served back on download) ``content_type``'s:
never the type the browser sent.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from pathlib import PurePath

from PIL import Image

from forms.specs import FieldSpec
from i18n import Lang, t

__all__ = [
    "MAX_IMAGE_PIXELS",
    "MAX_NAME_CHARS",
    "OCTET_STREAM",
    "content_type",
    "is_image",
    "safe_file_name",
    "sniff",
    "upload_problem",
]

MAX_IMAGE_PIXELS = 50_000_000  # a 12,000 × 4,000 photo; larger is a decompression bomb
MAX_NAME_CHARS = 100

# Signature of each kind and the suffixes that name it. Office files are zip or OLE containers.
_SIGNATURES: tuple[tuple[str, tuple[bytes, ...]], ...] = (
    ("png", (b"\x89PNG\r\n\x1a\n",)),
    ("jpeg", (b"\xff\xd8\xff",)),
    ("gif", (b"GIF87a", b"GIF89a")),
    ("pdf", (b"%PDF-",)),
    ("zip", (b"PK\x03\x04",)),
    ("ole", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
)
_KIND_OF_SUFFIX = {
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".gif": "gif",
    ".pdf": "pdf",
    ".docx": "zip",
    ".xlsx": "zip",
    ".pptx": "zip",
    ".zip": "zip",
    ".doc": "ole",
    ".xls": "ole",
    ".ppt": "ole",
}
_IMAGES = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF"}
OCTET_STREAM = "application/octet-stream"
# The MIME type of each kind; a container's (zip, OLE) is told by its suffix, checked against it.
_MIME_OF_KIND = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "pdf": "application/pdf",
}
_MIME_OF_CONTAINER = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".zip": "application/zip",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}


def sniff(data: bytes) -> str | None:
    """The kind (``png``, ``jpeg``, ``gif``, ``pdf``, ``zip``, ``ole``) the bytes start as."""
    return next(
        (kind for kind, starts in _SIGNATURES if any(data.startswith(s) for s in starts)), None
    )


def content_type(name: str, data: bytes) -> str:
    """The MIME type a stored file is kept and served with, from what its bytes are
    (``sniff``), whatever type the browser claimed: ``image/png`` for PNG bytes named
    ``x.png`` sent as ``text/html``. A zip or OLE container (an Office file) is named by its
    suffix when the suffix is of that container; bytes of no known kind, or a suffix of
    another kind, are ``application/octet-stream`` (downloaded, never shown)."""
    kind = sniff(data)
    if kind in _MIME_OF_KIND:
        return _MIME_OF_KIND[kind]
    suffix = PurePath(safe_file_name(name)).suffix.lower()
    if kind is not None and _KIND_OF_SUFFIX.get(suffix) == kind:
        return _MIME_OF_CONTAINER.get(suffix, OCTET_STREAM)
    return OCTET_STREAM


def is_image(data: bytes) -> bool:
    """True for bytes that start as a PNG, JPEG or GIF image."""
    return sniff(data) in _IMAGES


def _image_problem(data: bytes, kind: str) -> bool:
    """True when Pillow cannot open the bytes as an image of ``kind`` of a sane size."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != _IMAGES[kind]:
                    return True
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return True
                image.verify()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        return True
    return False


def upload_problem(spec: FieldSpec, name: str, data: bytes, lang: Lang) -> str | None:
    """Why the file ``name`` with ``data`` cannot go into attachment field ``spec``, or None.

    Checked in this order: the suffix is allowed by the field and known here, the size is
    within ``spec.max_bytes``, the bytes are of the suffix's kind, an image opens.
    """
    suffix = PurePath(safe_file_name(name)).suffix.lower()
    allowed = {a.lower() for a in spec.accept} if spec.accept else set(_KIND_OF_SUFFIX)
    types = "、".join(spec.accept) if spec.accept else "、".join(sorted(_KIND_OF_SUFFIX))
    if suffix not in allowed or suffix not in _KIND_OF_SUFFIX:
        return t("forms.file.bad_type", lang, name=name, types=types)
    if spec.max_bytes is not None and len(data) > spec.max_bytes:
        limit = f"{spec.max_bytes / 1024 / 1024:g} MB"
        return t("forms.file.too_large", lang, name=name, size=limit)
    kind = _KIND_OF_SUFFIX[suffix]
    if sniff(data) != kind or (kind in _IMAGES and _image_problem(data, kind)):
        return t("forms.file.bad_content", lang, name=name, suffix=suffix)
    return None


def safe_file_name(name: str) -> str:
    """``name`` as it is kept and shown: the last path part only, without control, format
    (e.g. U+202E, which shows ``exe.png`` for ``gnp.exe``) or unpaired surrogate characters,
    no leading dots, at most ``MAX_NAME_CHARS`` characters with the suffix kept; ``file`` when
    nothing is left."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        c
        for c in unicodedata.normalize("NFC", base.encode("utf-8", "replace").decode())
        if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp")
    ).strip()
    kept = kept.lstrip(".").strip() or "file"
    suffix = PurePath(kept).suffix
    if len(suffix) > 10:
        suffix = ""
    stem = kept[: len(kept) - len(suffix)] if suffix else kept
    return stem[: MAX_NAME_CHARS - len(suffix)] + suffix
