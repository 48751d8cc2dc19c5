import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zelfbeheer.settings.local")

application = get_wsgi_application()


def _freeze_what_lives_as_long_as_the_process() -> None:
    """Load every view module, then move all objects so far out of the garbage collector's reach.

    Django, its apps and their modules are some 160,000 objects that live as long as the process.
    Python's full collections walked all of them, 80 ms at a time, every few requests of a large page:
    the slow tail (p95/p99) that `make bench` showed. Frozen, a full collection takes microseconds.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    gc.freeze()


_freeze_what_lives_as_long_as_the_process()
