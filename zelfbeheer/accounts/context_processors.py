from django.conf import settings
from django.http import HttpRequest

from .roles import Role, roles_of


def navigation(request: HttpRequest) -> dict:
    user_roles = roles_of(request.user) if hasattr(request, "user") else frozenset()
    return {
        "user_roles": {role.value for role in user_roles},
        "Role": Role,
        "office_phone_number": settings.OFFICE_PHONE_NUMBER,
        "emergency_phone_number": settings.EMERGENCY_PHONE_NUMBER,
    }
