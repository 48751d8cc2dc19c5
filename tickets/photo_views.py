"""Photo files, served only after a permission check: media is never public."""

from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from .photo_selectors import photo_get_for
from .views import WORK_ORDER_SESSION_KEY

PHOTO_VARIANTS = ("full", "thumb")


@require_safe
def photo_file(request: HttpRequest, photo_uuid: UUID, variant: str) -> FileResponse:
    """No login_required: a contractor may come through a link session, and a stranger gets the
    same 404 as for a photo that does not exist, not a login page that confirms it does."""
    if variant not in PHOTO_VARIANTS:
        raise Http404
    photo = photo_get_for(request.user, photo_uuid, request.session.get(WORK_ORDER_SESSION_KEY, []))
    field_file = photo.image if variant == "full" else photo.thumbnail
    try:
        file = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    suffix = "" if variant == "full" else "-thumb"
    response = FileResponse(
        file, content_type="image/jpeg", filename=f"{photo.request.number}-{photo.uuid}{suffix}.jpg"
    )
    # Private: shared caches must never keep a tenant's photo; the browser may, for an hour.
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
