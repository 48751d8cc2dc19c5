from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from .roles import MFA_REQUIRED_ROLES, roles_of

SUPPORTED_LANGUAGES = {code for code, _label in settings.LANGUAGES}


class UserLanguageMiddleware:
    """A logged-in user's saved language wins over the browser's, on every device they use."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", "") if user and user.is_authenticated else ""
        if language in SUPPORTED_LANGUAGES:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def _mfa_enabled(user) -> bool:
    # The authentication backend read it with the user; a user object from elsewhere is asked.
    known = getattr(user, "mfa_enabled", None)
    return is_mfa_enabled(user) if known is None else known


class RequireMfaForStaffMiddleware:
    """allauth has no enforcement hook: send social, board and coordinator users without TOTP to its set-up."""

    allowed_prefixes = ("/accounts/", "/i18n/", "/static/", "/health/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and roles_of(user) & MFA_REQUIRED_ROLES
            and not _mfa_enabled(user)
        ):
            messages.warning(
                request,
                _(
                    "Your role requires two-factor authentication. Set up an authenticator app first."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
