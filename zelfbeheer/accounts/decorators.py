from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from .roles import Role, has_role


def role_required(*roles: Role, hide: bool = False) -> Callable:
    """Login first; then a user without one of the roles gets 403, or 404 where even existence is private."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not has_role(request.user, *roles):
                raise Http404 if hide else PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
