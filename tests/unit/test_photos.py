"""Photos (issue 13 point 6): thumbnails and print-sized copies of stored photos, and photos
printed in a submission's PDF under its file list (the news report's images among them)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from forms.thumbnails import PRINT, THUMBNAIL, scaled
from tests.unit.news_samples import news_data, submitted_news
from tests.unit.workflow_world import World, make_world
from workflow.errors import NotFound


def jpeg(size: tuple[int, int], *, orientation: int | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, "#2e7d32")
    exif = image.getexif()
    if orientation is not None:
        exif[0x0112] = orientation  # EXIF Orientation: how the camera held the photo
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def size_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def test_a_large_photo_is_scaled_to_its_longest_side() -> None:
    big = jpeg((3000, 2000))
    small = scaled(big, THUMBNAIL)
    assert size_of(small) == (360, 240) and len(small) < len(big) / 5


def test_a_photo_taken_sideways_is_turned_upright() -> None:
    sideways = jpeg((3000, 2000), orientation=6)  # rotate 90° to show
    assert size_of(scaled(sideways, THUMBNAIL)) == (240, 360)


def test_small_photos_and_other_files_come_back_unchanged() -> None:
    small = jpeg((200, 100))
    assert scaled(small, THUMBNAIL) == small
    pdf = b"%PDF-1.4 not an image"
    assert scaled(pdf, THUMBNAIL) == pdf


@pytest.fixture
def world() -> World:
    return make_world()


def test_a_thumbnail_is_read_with_the_same_permission_as_the_file(world: World) -> None:
    sub = submitted_news(world.services, world.staff[0], world.campaign.id)
    big = world.repo.put_blob(jpeg((2400, 1600)))
    other = submitted_news(
        world.services,
        world.staff[1],
        world.campaign.id,
        images=[{"name": "大图.jpg", "content_type": "image/jpeg", "size": 1, "blob": big}],
    )
    attachments = world.services.attachments
    thumb = attachments.read(world.reviewer, other.id, big, longest=THUMBNAIL)
    assert size_of(thumb) == (360, 240)
    with pytest.raises(NotFound):  # a key this submission does not refer to
        attachments.read(world.reviewer, sub.id, big, longest=THUMBNAIL)


def test_a_news_reports_pdf_prints_its_photo_with_the_caption(world: World) -> None:
    big = world.repo.put_blob(jpeg((2400, 1600)))
    data = news_data(world.services)
    data["images"][0].update(blob=big, name="现场.jpg", content_type="image/jpeg")
    subs = world.services.submissions
    draft = subs.save_draft(
        world.staff[0], campaign_id=world.campaign.id, form_type="news_report", data=data
    )
    sub = subs.submit(world.staff[0], draft.id, draft.rev)
    pdf = world.services.documents.submission_pdf(world.reviewer, sub.id)
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "党员在校史馆参观学习" in text and "现场.jpg" in text
    (image,) = [img for page in reader.pages for img in page.images]
    assert max(image.image.size) <= PRINT  # the print-sized copy, not the 2400-px original
