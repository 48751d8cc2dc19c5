"""Photos in the tenant's report: kept across a form error, attached on submit, added later."""

import os
import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from tickets import services
from tickets.models import Photo, RepairRequest
from tickets.photo_drafts import DRAFTS_DIRECTORY, drafts_remove_expired

from . import photo_corpus as corpus

pytestmark = pytest.mark.django_db(transaction=True)


def defect_url(category) -> str:
    return reverse("tickets:report_defect", args=[category.parent.code, category.code])


@pytest.fixture
def tenant_client(client, routable):
    client.force_login(routable.household.members.first())
    return client


def draft_files() -> list[str]:
    if not default_storage.exists(DRAFTS_DIRECTORY):
        return []
    return default_storage.listdir(DRAFTS_DIRECTORY)[1]


def test_photos_are_attached_to_the_new_request(tenant_client, routable):
    tenant_client.post(
        defect_url(routable.category),
        {"description": "De kraan lekt.", "photos": [corpus.jpeg_from_phone(), corpus.heic()]},
    )

    repair_request = RepairRequest.objects.get()
    assert repair_request.photos.count() == 2
    assert draft_files() == []


def test_a_form_error_keeps_the_photos_and_the_second_send_uses_them(tenant_client, routable):
    first = tenant_client.post(
        defect_url(routable.category), {"description": "", "photos": [corpus.png_with_alpha()]}
    )
    tokens = re.findall(r'name="kept_photos" value="([^"]+)"', first.content.decode())
    thumbnail = tenant_client.get(reverse("tickets:photo_draft_thumbnail", args=[tokens[0]]))

    tenant_client.post(
        defect_url(routable.category), {"description": "De kraan lekt.", "kept_photos": tokens}
    )

    assert first.status_code == 200
    assert len(tokens) == 1
    assert thumbnail.status_code == 200
    assert RepairRequest.objects.get().photos.count() == 1
    assert draft_files() == []


def test_drafts_of_another_session_are_not_reachable(tenant_client, client, routable):
    first = tenant_client.post(
        defect_url(routable.category), {"description": "", "photos": [corpus.webp()]}
    )
    token = re.findall(r'name="kept_photos" value="([^"]+)"', first.content.decode())[0]
    other_client = type(client)()
    other_client.force_login(routable.household.members.first())

    assert (
        other_client.get(reverse("tickets:photo_draft_thumbnail", args=[token])).status_code == 404
    )
    other_client.post(
        defect_url(routable.category), {"description": "Andere sessie", "kept_photos": [token]}
    )
    assert RepairRequest.objects.get().photos.count() == 0


def test_a_bad_file_is_refused_with_a_message_and_nothing_is_kept(tenant_client, routable):
    response = tenant_client.post(
        defect_url(routable.category),
        {"description": "De kraan lekt.", "photos": [corpus.pdf_named_jpg()]},
    )

    assert response.status_code == 200
    assert 'class="portal-error"' in response.content.decode()
    assert not RepairRequest.objects.exists()
    assert not Photo.objects.exists()
    assert draft_files() == []


def test_a_tenant_adds_a_photo_later(tenant_client, routable):
    repair_request = services.repair_request_submit(
        household=routable.household, category=routable.category, description="De kraan lekt."
    )

    tenant_client.post(
        reverse("tickets:request_add_info", args=[repair_request.uuid]), {"photos": [corpus.webp()]}
    )
    nothing = tenant_client.post(
        reverse("tickets:request_add_info", args=[repair_request.uuid]), {"message": ""}
    )

    assert repair_request.photos.count() == 1
    assert repair_request.events.filter(kind="photos_added").count() == 1
    assert nothing.status_code == 400


def test_forgotten_drafts_are_removed_after_a_day(tenant_client, routable):
    tenant_client.post(
        defect_url(routable.category), {"description": "", "photos": [corpus.webp()]}
    )
    assert len(draft_files()) == 2  # the photo and its thumbnail

    assert drafts_remove_expired(now=timezone.now()) == 0
    assert drafts_remove_expired(now=timezone.now() + timedelta(days=2)) == 2
    assert draft_files() == []


def test_deleting_a_photo_removes_its_files(tenant_client, routable):
    tenant_client.post(
        defect_url(routable.category), {"description": "De kraan lekt.", "photos": [corpus.webp()]}
    )
    photo = Photo.objects.get()
    paths = [photo.image.path, photo.thumbnail.path]

    photo.delete()

    assert not any(os.path.exists(path) for path in paths)
