from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from ..models import ApiToken


class ApiTokenRateThrottle(SimpleRateThrottle):
    """A rate per API key, so one contractor's runaway script does not slow down another's."""

    scope = "contractor_api"

    def get_rate(self) -> str | None:
        # Read at each request (not at import, as DRF does), so settings overrides take effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None  # the public schema is not throttled per key
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
