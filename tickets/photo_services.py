"""Writes for photos on a repair request.

- `photo_attach` checks, re-encodes and stores one photo.
- `photos_attach_all` does the same for a batch: every file is checked before any is stored, so a
  form with one bad file stores nothing and the tenant can simply try again.
- `photos_process_all` + `photos_store` are the same two halves, for a form that must refuse bad
  photos before the request itself is created (process, then submit the request, then store).

All raise `PhotoRejected` (with a message for the tenant) and leave no row and no file behind.
"""

from collections.abc import Sequence
from typing import IO

from django.core.files.storage import Storage
from django.db import transaction

from zelfbeheer.accounts.models import User

from .models import Photo, RepairRequest
from .photos import (
    MAX_PHOTOS_PER_REQUEST,
    TOO_MANY_PHOTOS,
    PhotoRejected,
    ProcessedPhoto,
    process_photo,
)


def photo_attach(
    *, repair_request: RepairRequest, uploaded_file: IO[bytes], uploaded_by: User | None
) -> Photo:
    return photos_attach_all(
        repair_request=repair_request, uploaded_files=[uploaded_file], uploaded_by=uploaded_by
    )[0]


def photos_attach_all(
    *,
    repair_request: RepairRequest,
    uploaded_files: Sequence[IO[bytes]],
    uploaded_by: User | None,
) -> list[Photo]:
    # Cheap refusal before decoding anything; the authoritative count is taken under the lock.
    _room_check(repair_request.photos.count(), len(uploaded_files))
    processed = photos_process_all(uploaded_files)
    return photos_store(repair_request=repair_request, processed=processed, uploaded_by=uploaded_by)


def photos_process_all(uploaded_files: Sequence[IO[bytes]]) -> list[ProcessedPhoto]:
    """Check every file before anything is stored; no request needed yet. Touches no database."""
    _room_check(0, len(uploaded_files))
    return [process_photo(uploaded_file) for uploaded_file in uploaded_files]


def _room_check(existing: int, adding: int) -> None:
    if existing + adding > MAX_PHOTOS_PER_REQUEST:
        raise PhotoRejected(TOO_MANY_PHOTOS % {"count": MAX_PHOTOS_PER_REQUEST})


def photos_store(
    *,
    repair_request: RepairRequest,
    processed: Sequence[ProcessedPhoto],
    uploaded_by: User | None,
) -> list[Photo]:
    """Write the files and rows together; when anything fails, the files written so far are removed.

    The transaction undoes the rows but not the files, hence the explicit clean-up. Precondition:
    call this outside any outer transaction (or never roll that one back after it returns), because
    Django has no on-rollback hook that could remove the files then.
    """
    written: list[tuple[Storage, str]] = []
    try:
        with transaction.atomic():
            # Lock the request so two uploads at once cannot pass the limit together.
            locked = RepairRequest.objects.select_for_update().get(pk=repair_request.pk)
            _room_check(locked.photos.count(), len(processed))
            photos = []
            for item in processed:
                photo = Photo(
                    request=locked, uploaded_by=uploaded_by, width=item.width, height=item.height
                )
                photo.image.save(item.image.name, item.image, save=False)
                written.append((photo.image.storage, photo.image.name))
                photo.thumbnail.save(item.thumbnail.name, item.thumbnail, save=False)
                written.append((photo.thumbnail.storage, photo.thumbnail.name))
                photo.save()
                photos.append(photo)
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    return photos
