"""`Authorization: Token <key>`: the key names a contractor, not a person."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from ..models import ApiToken, Contractor
from . import selectors, services


@dataclass(frozen=True)
class ContractorClient:
    """Who calls the API: a contractor's system, identified by one of its keys."""

    contractor: Contractor
    api_token: ApiToken

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __str__(self) -> str:
        return f"{self.contractor} (API: {self.api_token.name})"


class ContractorTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # no key: IsAuthenticated answers 401
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as 'Authorization: Token <key>'.")
            )
        try:
            raw_token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Unknown API key.")) from None
        api_token = selectors.api_token_find(raw_token)
        if api_token is None:
            raise exceptions.AuthenticationFailed(_("Unknown API key."))
        if api_token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This API key has been revoked."))
        if not api_token.contractor.is_active:
            raise exceptions.AuthenticationFailed(_("This contractor is no longer active."))
        services.api_token_mark_used(api_token)
        return ContractorClient(contractor=api_token.contractor, api_token=api_token), api_token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 with `WWW-Authenticate: Token`, not 403.
        return self.keyword
