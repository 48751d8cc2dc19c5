from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "social"
    verbose_name = _("Social management")

    def ready(self) -> None:
        from . import list_cache

        list_cache.connect()
