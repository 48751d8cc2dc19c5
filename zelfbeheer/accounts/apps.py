from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_role_groups(sender, **kwargs) -> None:
    from .services import role_groups_ensure

    role_groups_ensure()


class AccountsConfig(AppConfig):
    name = "zelfbeheer.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Housekeeping only: the role groups follow the permission list after every migrate.
        post_migrate.connect(_ensure_role_groups, dispatch_uid="zelfbeheer.accounts.role_groups")
