"""The roles of DESIGN.md as Django groups, with each role's start page and MFA requirement."""

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    TENANT = "tenant"
    DESK = "desk"
    SOCIAL = "social"
    CONTRACTOR = "contractor"
    BOARD = "board"
    CORPORATION = "corporation"
    COORDINATOR = "coordinator"


ROLE_LABELS = {
    Role.TENANT: _("Tenant"),
    Role.DESK: _("Desk worker"),
    Role.SOCIAL: _("Social worker"),
    Role.CONTRACTOR: _("Contractor"),
    Role.BOARD: _("Board member"),
    Role.CORPORATION: _("Bo-Ex staff"),
    Role.COORDINATOR: _("Coordinator"),
}

# The URL name each role lands on after login, in order of precedence for users with several roles.
START_PAGES = {
    Role.COORDINATOR: "coordinator_settings",
    Role.DESK: "tickets:desk_queue",
    Role.SOCIAL: "social:my_cases",
    Role.BOARD: "budget:dashboard",
    Role.CORPORATION: "budget:dashboard",
    Role.CONTRACTOR: "tickets:contractor_orders",
    Role.TENANT: "tickets:my_requests",
}

# Staff roles log in with password and TOTP; for these roles the second factor is mandatory.
MFA_REQUIRED_ROLES = frozenset({Role.SOCIAL, Role.BOARD, Role.COORDINATOR})
STAFF_ROLES = frozenset(Role) - {Role.TENANT}


def roles_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    """The user's roles, cached on the user object so a page asks the database once."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_zelfbeheer_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = remember_roles(user, {role for role in Role if role.value in names})
    return cached


def remember_roles(user: AbstractBaseUser, roles: set[Role]) -> frozenset[Role]:
    """Keep the roles on the user object (the authentication backend reads them with the user)."""
    user._zelfbeheer_roles = frozenset(roles)
    return user._zelfbeheer_roles


def has_role(user: AbstractBaseUser | AnonymousUser, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def start_page_for(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """The URL name of the user's start page; None for an account that has no role yet."""
    user_roles = roles_of(user)
    for role, url_name in START_PAGES.items():
        if role in user_roles:
            return url_name
    return None
