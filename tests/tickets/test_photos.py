"""Photos on a repair request: what we accept, what we strip, what we refuse, and who may see them."""

import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import DatabaseError
from django.urls import reverse
from PIL import Image

from tickets import photos, services
from tickets.models import Photo
from tickets.photo_services import (
    photo_attach,
    photos_attach_all,
    photos_process_all,
    photos_store,
)
from tickets.photos import MAX_PHOTOS_PER_REQUEST, PhotoRejected, process_photo
from zelfbeheer.accounts.roles import Role

from ..factories import HouseholdFactory, UserFactory
from . import photo_corpus as corpus

pytestmark = pytest.mark.django_db

ACCEPTED = {
    "jpeg from a phone": corpus.jpeg_from_phone,
    "jpeg with a comment": corpus.jpeg_with_comment,
    "jpeg with a second picture (MPO)": corpus.jpeg_mpo,
    "png with alpha": corpus.png_with_alpha,
    "webp": corpus.webp,
    "heic": corpus.heic,
    "png named .pdf": corpus.png_named_pdf,
}

EXPECTED_MESSAGE = {
    "pdf named .jpg": photos.NOT_A_PHOTO,
    "svg named .png": photos.NOT_A_PHOTO,
    "gif": photos.NOT_A_PHOTO,
    "text named .jpg": photos.NOT_A_PHOTO,
    "truncated jpeg": photos.INCOMPLETE,
    "12 MB": photos.TOO_MANY_BYTES,
    "empty": photos.EMPTY_FILE,
    "bomb 400 MP (above Pillow's own limit)": photos.TOO_MANY_PIXELS,
    "bomb 64 MP (above ours, below Pillow's)": photos.TOO_MANY_PIXELS,
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test its own MEDIA_ROOT, so 'no file was stored' can be checked on disk."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def stored_files(media_root) -> list:
    folder = media_root / "photos"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def decoded(content) -> Image.Image:
    content.seek(0)
    return Image.open(io.BytesIO(content.read()))


def tenant_of(routable):
    return routable.household.members.first()


def submit_for(routable):
    return services.repair_request_submit(
        household=routable.household,
        reporter=tenant_of(routable),
        category=routable.category,
        description="De kraan lekt.",
    )


@pytest.fixture
def repair_request(routable):
    return submit_for(routable)


# -- process_photo: pure image handling ---------------------------------------------------------


@pytest.mark.parametrize("build", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted_photo_becomes_a_clean_rgb_jpeg_with_a_thumbnail(build):
    processed = process_photo(build())

    image = decoded(processed.image)
    thumbnail = decoded(processed.thumbnail)
    assert (image.format, image.mode) == ("JPEG", "RGB")
    assert image.size == (processed.width, processed.height)
    assert not image.getexif()
    assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"} & set(image.info)
    assert thumbnail.format == "JPEG"
    assert max(thumbnail.size) <= photos.THUMBNAIL_LONG_SIDE


def test_phone_photo_loses_gps_serial_number_and_profile_but_keeps_its_turn():
    processed = process_photo(corpus.jpeg_from_phone(size=(20, 10), orientation=6))

    raw = processed.image.read()
    image = Image.open(io.BytesIO(raw))
    assert image.size == (10, 20)
    assert (processed.width, processed.height) == (10, 20)
    assert not image.getexif()
    assert b"Exif" not in raw
    assert b"iPhone" not in raw
    assert b"F2LXK0ABCDEF" not in raw
    assert b"secret" not in raw
    assert b"Kaneelstraat" not in raw
    assert decoded(processed.thumbnail).size == (10, 20)


def test_heic_from_an_iphone_loses_its_exif():
    processed = process_photo(corpus.heic())

    raw = processed.image.read()
    assert not Image.open(io.BytesIO(raw)).getexif()
    assert b"iPhone" not in raw


def test_large_photo_is_downscaled_to_2560_and_thumbnail_to_400():
    processed = process_photo(corpus.jpeg_large(size=(3000, 1000)))

    assert (processed.width, processed.height) == (2560, 853)
    assert decoded(processed.image).size == (2560, 853)
    assert decoded(processed.thumbnail).size == (400, 133)


def test_transparency_becomes_white():
    image = decoded(process_photo(corpus.png_with_alpha()).image).convert("RGB")

    transparent_half, red_half = image.getpixel((5, 10)), image.getpixel((35, 10))
    assert all(channel > 240 for channel in transparent_half)
    assert red_half[0] > 200 and red_half[1] < 40 and red_half[2] < 40


@pytest.mark.parametrize("build", corpus.REFUSED.values(), ids=corpus.REFUSED.keys())
def test_refused_file_raises_with_its_own_message(build, request):
    name = request.node.callspec.id

    with pytest.raises(PhotoRejected) as refused:
        process_photo(build())

    assert refused.value.message
    assert refused.value.message == str(EXPECTED_MESSAGE[name])
    assert isinstance(refused.value, ValueError)


def test_size_is_checked_before_anything_is_decoded(monkeypatch):
    def no_decoding(*args, **kwargs):
        raise AssertionError("a too large file was handed to Pillow")

    monkeypatch.setattr(Image, "open", no_decoding)

    with pytest.raises(PhotoRejected, match="10 MB"):
        process_photo(corpus.twelve_megabytes())


def test_pillow_bomb_limit_is_left_as_it_was():
    before = Image.MAX_IMAGE_PIXELS

    with pytest.raises(PhotoRejected):
        process_photo(corpus.png_bomb())

    assert before == Image.MAX_IMAGE_PIXELS


# -- photo_attach / photos_attach_all: storing -------------------------------------------------


def test_attach_stores_the_photo_and_its_thumbnail(routable, repair_request, media_root):
    tenant = tenant_of(routable)

    photo = photo_attach(
        repair_request=repair_request,
        uploaded_file=corpus.jpeg_from_phone(),
        uploaded_by=tenant,
    )

    photo.refresh_from_db()
    assert photo.request == repair_request
    assert photo.uploaded_by == tenant
    assert photo.image.name == f"photos/{repair_request.uuid}/{photo.uuid}.jpg"
    assert photo.thumbnail.name == f"photos/{repair_request.uuid}/{photo.uuid}-thumb.jpg"
    assert (photo.width, photo.height) == (10, 20)
    assert stored_files(media_root) == sorted(
        [media_root / photo.image.name, media_root / photo.thumbnail.name]
    )
    assert not Image.open(media_root / photo.image.name).getexif()


@pytest.mark.parametrize("build", corpus.REFUSED.values(), ids=corpus.REFUSED.keys())
def test_refused_file_stores_nothing(build, repair_request, media_root):
    with pytest.raises(PhotoRejected) as refused:
        photo_attach(repair_request=repair_request, uploaded_file=build(), uploaded_by=None)

    assert refused.value.message
    assert Photo.objects.count() == 0
    assert stored_files(media_root) == []


def test_sixth_photo_is_refused(repair_request, media_root):
    for _ in range(MAX_PHOTOS_PER_REQUEST):
        photo_attach(repair_request=repair_request, uploaded_file=corpus.webp(), uploaded_by=None)
    assert len(stored_files(media_root)) == 2 * MAX_PHOTOS_PER_REQUEST

    with pytest.raises(PhotoRejected) as refused:
        photo_attach(repair_request=repair_request, uploaded_file=corpus.webp(), uploaded_by=None)

    assert "5" in refused.value.message
    assert repair_request.photos.count() == MAX_PHOTOS_PER_REQUEST
    assert len(stored_files(media_root)) == 2 * MAX_PHOTOS_PER_REQUEST


def test_batch_is_stored_whole(repair_request, media_root):
    stored = photos_attach_all(
        repair_request=repair_request,
        uploaded_files=[corpus.jpeg_from_phone(), corpus.heic(), corpus.png_with_alpha()],
        uploaded_by=None,
    )

    assert [photo.pk for photo in stored] == list(
        repair_request.photos.values_list("pk", flat=True)
    )
    assert len(stored_files(media_root)) == 6


def test_batch_with_one_bad_file_stores_none(repair_request, media_root):
    with pytest.raises(PhotoRejected):
        photos_attach_all(
            repair_request=repair_request,
            uploaded_files=[corpus.jpeg_from_phone(), corpus.heic(), corpus.truncated_jpeg()],
            uploaded_by=None,
        )

    assert Photo.objects.count() == 0
    assert stored_files(media_root) == []


def test_batch_over_the_limit_is_refused_before_decoding(repair_request, monkeypatch):
    monkeypatch.setattr(
        "tickets.photo_services.process_photo",
        lambda uploaded_file: pytest.fail("decoded although the batch was too large"),
    )

    with pytest.raises(PhotoRejected):
        photos_attach_all(
            repair_request=repair_request,
            uploaded_files=[corpus.webp() for _ in range(MAX_PHOTOS_PER_REQUEST + 1)],
            uploaded_by=None,
        )

    assert Photo.objects.count() == 0


def test_photos_can_be_checked_before_the_request_exists(routable, media_root):
    """The report form refuses a bad photo before it creates the request, then stores the good ones."""
    with pytest.raises(PhotoRejected):
        photos_process_all([corpus.webp(), corpus.gif()])
    assert stored_files(media_root) == []

    processed = photos_process_all([corpus.webp(), corpus.heic()])
    repair_request = submit_for(routable)
    stored = photos_store(repair_request=repair_request, processed=processed, uploaded_by=None)

    assert [photo.request for photo in stored] == [repair_request, repair_request]
    assert len(stored_files(media_root)) == 4


def test_database_failure_leaves_no_orphan_files(repair_request, media_root, monkeypatch):
    real_save = Photo.save
    calls = []

    def save_fails_the_second_time(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise DatabaseError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Photo, "save", save_fails_the_second_time)

    with pytest.raises(DatabaseError):
        photos_attach_all(
            repair_request=repair_request,
            uploaded_files=[corpus.webp(), corpus.jpeg_from_phone()],
            uploaded_by=None,
        )

    assert Photo.objects.count() == 0
    assert stored_files(media_root) == []


# -- photo_file: who may see a photo ------------------------------------------------------------


@pytest.fixture
def photo(routable, repair_request):
    return photo_attach(
        repair_request=repair_request,
        uploaded_file=corpus.jpeg_large(size=(1200, 900)),
        uploaded_by=tenant_of(routable),
    )


def photo_url(photo, variant="full"):
    return reverse("tickets:photo_file", args=[photo.uuid, variant])


def served_image(response) -> Image.Image:
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_tenant_of_the_household_sees_the_photo_and_its_thumbnail(client, routable, photo):
    client.force_login(tenant_of(routable))

    full = client.get(photo_url(photo, "full"))
    thumb = client.get(photo_url(photo, "thumb"))

    assert full.status_code == 200
    assert full["Content-Type"] == "image/jpeg"
    assert full["Cache-Control"] == "private, max-age=3600"
    assert full["X-Content-Type-Options"] == "nosniff"
    assert full["Content-Disposition"].startswith("inline")
    assert served_image(full).size == (1200, 900)
    assert thumb.status_code == 200
    assert served_image(thumb).size == (400, 300)


def test_another_tenant_gets_404(client, photo):
    neighbour = HouseholdFactory(tenant=True).members.first()
    client.force_login(neighbour)

    assert client.get(photo_url(photo)).status_code == 404
    assert client.get(photo_url(photo, "thumb")).status_code == 404


def test_anonymous_visitor_gets_404_not_a_login_page(client, photo):
    assert client.get(photo_url(photo)).status_code == 404


def test_desk_sees_every_photo(client, photo):
    client.force_login(UserFactory(role=Role.DESK))

    assert client.get(photo_url(photo)).status_code == 200


def test_unknown_photo_and_unknown_variant_get_404(client, photo):
    client.force_login(UserFactory(role=Role.DESK))

    assert client.get(photo_url(photo, "original")).status_code == 404
    missing = reverse("tickets:photo_file", args=["00000000-0000-4000-8000-000000000000", "full"])
    assert client.get(missing).status_code == 404


def test_photo_cannot_be_posted_to(client, routable, photo):
    client.force_login(tenant_of(routable))

    assert client.post(photo_url(photo)).status_code == 405


@pytest.fixture
def routed_photo(routable, django_capture_on_commit_callbacks):
    """A photo on a request that routing gave to the contract's contractor, who was e-mailed a link."""
    with django_capture_on_commit_callbacks(execute=True):
        repair_request = submit_for(routable)
    return photo_attach(
        repair_request=repair_request,
        uploaded_file=corpus.webp(),
        uploaded_by=tenant_of(routable),
    )


def follow_work_order_link(client, contractor_email: str) -> None:
    body = next(m.body for m in reversed(mail.outbox) if contractor_email in m.to)
    token = re.search(r"/werkorders/link/([^/\s]+)/", body).group(1)
    client.get(reverse("tickets:work_order_link", args=[token]))


def test_contractor_with_the_link_sees_photos_while_the_order_is_open(
    client, routable, routed_photo
):
    work_order = routed_photo.request.work_orders.get()
    follow_work_order_link(client, routable.contract.contractor.email)

    assert client.get(photo_url(routed_photo)).status_code == 200

    services.work_order_complete(work_order=work_order, total_cost=Decimal("10"))

    assert client.get(photo_url(routed_photo)).status_code == 404
    assert client.get(photo_url(routed_photo, "thumb")).status_code == 404


def test_contractor_account_sees_photos_of_its_own_open_order_only(client, routable, routed_photo):
    own_staff = UserFactory(role=Role.CONTRACTOR)
    routable.contract.contractor.users.add(own_staff)
    other_staff = UserFactory(role=Role.CONTRACTOR)

    client.force_login(other_staff)
    assert client.get(photo_url(routed_photo)).status_code == 404

    client.force_login(own_staff)
    assert client.get(photo_url(routed_photo)).status_code == 200


def test_link_to_another_order_does_not_open_this_photo(
    client, routable, routed_photo, django_capture_on_commit_callbacks
):
    neighbours = HouseholdFactory(tenant=True, home__building=routable.household.home.building)
    with django_capture_on_commit_callbacks(execute=True):
        services.repair_request_submit(
            household=neighbours,
            reporter=neighbours.members.first(),
            category=routable.category,
            description="Ook hier lekt de kraan.",
        )
    # The newest mail is the neighbours' order: the session is scoped to that order only.
    follow_work_order_link(client, routable.contract.contractor.email)

    assert client.get(photo_url(routed_photo)).status_code == 404


def test_a_truncated_photo_is_refused_even_after_weasyprint_relaxed_pillow():
    """weasyprint turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES when imported (PDF letters and
    reports are made in the same processes that take uploads)."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True
    truncated = corpus.truncated_jpeg()

    with pytest.raises(PhotoRejected):
        process_photo(truncated)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
