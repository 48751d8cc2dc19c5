from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Repairs")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from . import queue_cache
        from .models import Photo

        queue_cache.connect()

        # Housekeeping only: a deleted photo row (also by cascade) takes its files with it.
        post_delete.connect(
            _photo_files_delete, sender=Photo, dispatch_uid="tickets.photo_files_delete"
        )


def _photo_files_delete(sender, instance, **kwargs) -> None:
    for field_file in (instance.image, instance.thumbnail):
        if field_file.name:
            field_file.storage.delete(field_file.name)
