"""Photos that survive a form error: processed photos wait as drafts until the form is sent.

A browser cannot refill a file input, so an elderly tenant who forgot the description would otherwise have
to pick their photos again. Drafts are already-clean JPEGs (re-encoded, no metadata), stored privately,
and reachable only from the session that uploaded them. A periodic task removes forgotten drafts.
"""

import secrets
from datetime import timedelta

from django.contrib.sessions.backends.base import SessionBase
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from .photos import ProcessedPhoto

SESSION_KEY = "photo_drafts"
DRAFTS_DIRECTORY = "photo-drafts"
DRAFT_LIFETIME = timedelta(hours=24)


def _paths(token: str) -> tuple[str, str]:
    return f"{DRAFTS_DIRECTORY}/{token}.jpg", f"{DRAFTS_DIRECTORY}/{token}-thumb.jpg"


def draft_tokens(session: SessionBase) -> list[str]:
    return [draft["token"] for draft in session.get(SESSION_KEY, [])]


def drafts_save(session: SessionBase, processed: list[ProcessedPhoto]) -> list[str]:
    drafts = list(session.get(SESSION_KEY, []))
    tokens = []
    for photo in processed:
        token = secrets.token_urlsafe(16)
        image_path, thumbnail_path = _paths(token)
        photo.image.seek(0)
        photo.thumbnail.seek(0)
        default_storage.save(image_path, ContentFile(photo.image.read()))
        default_storage.save(thumbnail_path, ContentFile(photo.thumbnail.read()))
        drafts.append({"token": token, "width": photo.width, "height": photo.height})
        tokens.append(token)
    session[SESSION_KEY] = drafts
    return tokens


def drafts_load(session: SessionBase, tokens: list[str]) -> list[ProcessedPhoto]:
    """The drafts of this session among `tokens`, in upload order; unknown tokens are ignored."""
    loaded = []
    for draft in session.get(SESSION_KEY, []):
        if draft["token"] not in tokens:
            continue
        image_path, thumbnail_path = _paths(draft["token"])
        if not default_storage.exists(image_path):
            continue
        with (
            default_storage.open(image_path) as image,
            default_storage.open(thumbnail_path) as thumbnail,
        ):
            loaded.append(
                ProcessedPhoto(
                    image=ContentFile(image.read(), name="photo.jpg"),
                    thumbnail=ContentFile(thumbnail.read(), name="thumbnail.jpg"),
                    width=draft["width"],
                    height=draft["height"],
                )
            )
    return loaded


def drafts_discard(session: SessionBase, tokens: list[str] | None = None) -> None:
    """Remove the given drafts (all of this session's when None)."""
    keep = []
    for draft in session.get(SESSION_KEY, []):
        if tokens is None or draft["token"] in tokens:
            for path in _paths(draft["token"]):
                default_storage.delete(path)
        else:
            keep.append(draft)
    session[SESSION_KEY] = keep


def draft_thumbnail_path(session: SessionBase, token: str) -> str | None:
    if token not in draft_tokens(session):
        return None
    return _paths(token)[1]


def drafts_remove_expired(now=None) -> int:
    """Delete draft files older than a day (their sessions are gone or forgotten)."""
    now = now or timezone.now()
    if not default_storage.exists(DRAFTS_DIRECTORY):
        return 0
    removed = 0
    _directories, files = default_storage.listdir(DRAFTS_DIRECTORY)
    for name in files:
        path = f"{DRAFTS_DIRECTORY}/{name}"
        if now - default_storage.get_modified_time(path) > DRAFT_LIFETIME:
            default_storage.delete(path)
            removed += 1
    return removed
