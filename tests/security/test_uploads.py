"""Uploads: a file is what its bytes say, not what its name or the browser says; sizes, a
per-account quota and the names kept are bounded. Before the fix HTML bytes named ``.png`` were
stored and served back, one account could fill the disk, and the type the browser sent (any
text, ``text/html`` too) was stored and served back as the download's type."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from PIL import Image

from core.settings import Settings
from forms.base import DEFAULT_MAX_BYTES
from forms.file_content import MAX_NAME_CHARS, content_type, safe_file_name
from tests.sample_files import JPEG, PDF, PNG, image
from tests.unit.demo_site_world import applied, receipt
from tests.unit.workflow_world import World, make_world
from workflow.errors import ValidationFailed

HTML = b"<!doctype html><script>fetch('/steal?c='+document.cookie)</script>"


@dataclass(frozen=True)
class Upload:
    path: str
    name: str
    content_type: str
    data: bytes


@pytest.fixture
def world() -> World:
    return make_world()


def _attach(world: World, *uploads: Upload, who: int = 0) -> dict[str, object]:
    services = world.services
    model = services.forms.get("study_session")
    return services.attachments.attach(world.staff[who], model, {"topic": "学习"}, uploads)


def _refused(world: World, upload: Upload) -> str:
    blobs_before = world.repo.blob_keys() if hasattr(world.repo, "blob_keys") else None
    used_before = world.services.attachments.used_bytes(world.staff[0].login)
    with pytest.raises(ValidationFailed) as info:
        _attach(world, upload)
    assert world.services.attachments.used_bytes(world.staff[0].login) == used_before
    if blobs_before is not None:
        assert world.repo.blob_keys() == blobs_before, "a refused file was stored"
    (message,) = info.value.errors.values()
    assert list(info.value.errors) == [upload.path]
    return message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("sheet.png", HTML),
        ("sheet.jpg", b"MZ\x90\x00 an executable"),
        ("sheet.pdf", PNG),
        ("sheet.png", JPEG),
        ("sheet.png", PNG[:40]),  # a PNG signature on a truncated file
    ],
    ids=["html-as-png", "exe-as-jpg", "png-as-pdf", "jpeg-as-png", "truncated-png"],
)
def test_a_file_whose_bytes_are_not_its_type_is_refused(
    world: World, name: str, data: bytes
) -> None:
    message = _refused(world, Upload("attachments", name, "image/png", data))
    assert name in message and "按文件内容检查" in message


def test_a_decompression_bomb_is_refused(world: World) -> None:
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")  # 400 M pixels in about 50 KB
    assert len(out.getvalue()) < 200_000
    _refused(world, Upload("attachments", "bomb.png", "image/png", out.getvalue()))


@pytest.mark.parametrize(
    ("name", "data"),
    [("sheet.png", PNG), ("照片.JPG", JPEG), ("签到表.pdf", PDF), ("x.gif", image("GIF"))],
)
def test_real_files_are_kept(world: World, name: str, data: bytes) -> None:
    if name.endswith(".gif"):  # the study session takes pictures and PDFs only
        message = _refused(world, Upload("attachments", name, "image/gif", data))
        assert "类型不允许" in message
        return
    result = _attach(world, Upload("attachments", name, "application/octet-stream", data))
    [record] = result["attachments"]  # type: ignore[misc]
    assert record["name"] == name and world.repo.get_blob(record["blob"]) == data


def test_a_file_over_the_field_size_is_refused(world: World) -> None:
    big = PDF + b"0" * DEFAULT_MAX_BYTES
    message = _refused(world, Upload("attachments", "big.pdf", "application/pdf", big))
    assert "太大" in message


def test_a_file_for_a_field_that_takes_none_is_refused(world: World) -> None:
    message = _refused(world, Upload("topic", "x.png", "image/png", PNG))
    assert "没有对应的附件栏目" in message


def test_each_account_has_an_upload_quota(
    world: World, settings_override: Callable[..., Settings]
) -> None:
    settings_override(upload_quota_mb=1)
    half = PDF + b"1" * 600_000
    other_half = PDF + b"2" * 600_000
    _attach(world, Upload("attachments", "a.pdf", "application/pdf", half))
    message = _refused(world, Upload("attachments", "b.pdf", "application/pdf", other_half))
    assert "每个账号最多上传 1 MB" in message
    # Another account has its own quota.
    _attach(world, Upload("attachments", "b.pdf", "application/pdf", other_half), who=1)
    assert world.services.attachments.used_bytes(world.staff[1].login) == len(other_half)


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\x\\签到表.png", "签到表.png"),
        ("a\x00b\x1b[31m.png", "ab[31m.png"),
        ("\u202egnp.exe.png", "gnp.exe.png"),
        ("...png", "png"),
        ("\ud800.png", "?.png"),
        ("", "file"),
        ("长" * 300 + ".png", "长" * (MAX_NAME_CHARS - 4) + ".png"),
    ],
)
def test_file_names_are_kept_without_paths_controls_or_spoofing(name: str, kept: str) -> None:
    assert safe_file_name(name) == kept


def test_the_stored_name_is_the_safe_one(world: World) -> None:
    result = _attach(world, Upload("attachments", "../\u202e签到表.png", "image/png", PNG))
    [record] = result["attachments"]  # type: ignore[misc]
    assert record["name"] == "签到表.png"


@pytest.mark.parametrize(
    ("name", "data", "sent", "kept"),
    [
        ("sheet.png", PNG, "text/html", "image/png"),
        ("照片.JPG", JPEG, "image/png", "image/jpeg"),
        ("签到表.pdf", PDF, "text/html; charset=utf-8", "application/pdf"),
        ("签到表.pdf", PDF, "", "application/pdf"),
    ],
    ids=["png-sent-as-html", "jpeg-sent-as-png", "pdf-sent-as-html", "pdf-sent-without-type"],
)
def test_the_stored_type_is_what_the_bytes_are_not_what_the_browser_sent(
    world: World, name: str, data: bytes, sent: str, kept: str
) -> None:
    result = _attach(world, Upload("attachments", name, sent, data))
    [record] = result["attachments"]  # type: ignore[misc]
    assert record["content_type"] == kept


def test_a_receipt_is_downloaded_with_the_type_of_its_bytes(world: World) -> None:
    """Receipts go through the same attachment service; the ledger keeps, and its download
    button serves, the sniffed type."""
    funding, cid = world.services.funding, world.campaign.id
    application = applied(world, 0)
    site = world.services.submissions.approve(world.reviewer, application.id, application.rev)
    funding.grant(world.reviewer, cid, site.id, 1000)
    lying = receipt("收据.png")
    lying.content_type = "text/html"
    entry = funding.spend(world.staff[0], cid, site.id, 10, "交通", [lying])
    assert entry.receipts[0].content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "data", "kept"),
    [
        ("a.png", PNG, "image/png"),
        ("a.gif", image("GIF"), "image/gif"),
        (
            "方案.docx",
            b"PK\x03\x04 a zip",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "台账.xlsx",
            b"PK\x03\x04 a zip",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 OLE", "application/vnd.ms-excel"),
        ("a.zip", b"PK\x03\x04 a zip", "application/zip"),
        ("a.docx", PDF, "application/pdf"),  # the bytes decide, whatever the name
        ("a.doc", b"PK\x03\x04 a zip", "application/octet-stream"),  # zip named as OLE
        ("a.html", HTML, "application/octet-stream"),
    ],
    ids=["png", "gif", "docx", "xlsx", "xls", "zip", "pdf-named-docx", "zip-named-doc", "html"],
)
def test_the_type_of_a_file_comes_from_its_bytes(name: str, data: bytes, kept: str) -> None:
    assert content_type(name, data) == kept
