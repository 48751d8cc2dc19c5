"""Authentication backends that load the signed-in user with their roles and MFA state in one query.

Every page reads the user, their roles (menus, permissions) and, for staff, whether TOTP is set up. Asked
separately that is three queries on every request; read with the user's row it is one.
"""

from allauth.account.auth_backends import AuthenticationBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, F, OuterRef

from .roles import Role, remember_roles


class _UserWithRolesMixin:
    def get_user(self, user_id):
        # One row per group (a user has one or two); a join and one EXISTS keep the query cheap to
        # build as well as to run.
        rows = list(
            get_user_model()
            ._default_manager.filter(pk=user_id)
            .annotate(
                group_name=F("groups__name"),
                mfa_enabled=Exists(Authenticator.objects.filter(user_id=OuterRef("pk"))),
            )
        )
        if not rows or not self.user_can_authenticate(rows[0]):
            return None
        names = {row.group_name for row in rows}
        remember_roles(rows[0], {role for role in Role if role.value in names})
        return rows[0]


class PortalModelBackend(_UserWithRolesMixin, ModelBackend):
    pass


class PortalAllauthBackend(_UserWithRolesMixin, AuthenticationBackend):
    pass
