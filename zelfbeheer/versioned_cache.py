"""Values kept in the cache until the data they were made from changes.

Each cache has one version key. Every write to its data gives it a new version (`changed`), and each
value is stored with the version it was made under, so after a write every page makes its values again.
Writers call `changed` through model signals; writes around the models (queryset `.update()`, bulk
loads, SQL by hand) must call it themselves, and the timeout is only the safety net for a write that
forgets.

One entry per key, not one per key and version: old versions are overwritten rather than left for the
backend to evict (the file cache culls a random third of everything, rate-limit counters included).

Keys carry the code's release (`code_release`): HTML rendered by one release is never served by the next,
not even before its data changes (a template or translation fix shows at once after a deploy).

The cache is an aid, never a condition: when it cannot be reached the value is made as if it were not
there, and a save goes through without its version change (its pages then catch up within the timeout).
"""

import functools
import logging
from collections.abc import Callable, Iterable
from hashlib import sha256
from typing import TypeVar
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import QueryDict

logger = logging.getLogger(__name__)

Value = TypeVar("Value")

# What the cached values are made by: the Python code, the templates and the compiled translations.
RELEASE_FILES = ("zelfbeheer/**/*.py", "tickets/**/*.py", "social/**/*.py", "budget/**/*.py",
                 "templates/**/*.html", "templates/**/*.txt", "locale/**/*.mo")  # fmt: skip


@functools.cache
def code_release() -> str:
    """The running release: `RELEASE` when the deployment sets it, else a digest of the files the cached
    values are made by, worked out once per process (about 260 files: 50–150 ms at start-up)."""
    if settings.RELEASE:
        return settings.RELEASE
    digest = sha256()
    for pattern in RELEASE_FILES:
        for path in sorted(settings.BASE_DIR.glob(pattern)):
            digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class VersionedCache:
    def __init__(self, name: str, timeout_seconds: int):
        self.name = name
        self.version_key = f"{name}:version"
        self.timeout_seconds = timeout_seconds

    def _new_version(self) -> None:
        try:
            cache.set(self.version_key, uuid4().hex, timeout=None)
        except Exception:
            logger.warning("cache unreachable: %s not renewed", self.name, exc_info=True)

    def changed(self) -> None:
        """The data changed: the next read makes its values again.

        Now, so the writer's own next page shows the change, and again after the commit: a page that
        read the data while the transaction was still open saw the old rows, and must not be what
        stays."""
        self._new_version()
        transaction.on_commit(self._new_version, robust=True)

    def renew_on_writes_to(self, *models: type[Model]) -> None:
        """Every save and delete of these models changes the version (connected once, in `ready`)."""
        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(
                    self._model_written, sender=model, dispatch_uid=f"{self.name}:{model.__name__}"
                )

    def _model_written(self, sender, **kwargs) -> None:
        self.changed()

    def version(self) -> str:
        version = cache.get(self.version_key)
        if version is None:
            # `add`, not `set`: two first readers at once agree on one version.
            cache.add(self.version_key, uuid4().hex, timeout=None)
            version = cache.get(self.version_key)
        return version

    def key(self, parts: Iterable[str]) -> str:
        # Hashed: parts may be a visitor's query string, of any length and with any characters.
        key_parts = (code_release(), *parts)
        return f"{self.name}:{sha256(chr(31).join(key_parts).encode()).hexdigest()[:32]}"

    def get_or_make(self, parts: Iterable[str], make: Callable[[], Value]) -> Value:
        key = self.key(parts)
        try:
            # The version is read with the data, in one round trip (Redis MGET reads both at one
            # moment; other caches read them in this order): a value made from rows that a write then
            # changes is stored under the version that write already replaced, and never served.
            found = cache.get_many([self.version_key, key])
            version = found.get(self.version_key) or self.version()
            stored = found.get(key)
        except Exception:
            logger.warning("cache unreachable: %s made without it", self.name, exc_info=True)
            return make()
        if stored is not None and stored[0] == version:
            return stored[1]
        value = make()
        try:
            cache.set(key, (version, value), timeout=self.timeout_seconds)
        except Exception:
            logger.warning("cache unreachable: %s not kept", self.name, exc_info=True)
        return value


def query_key(query: QueryDict) -> str:
    """A page's query string as a key part: the same parameters in any order give the same key."""
    return repr(sorted(query.lists()))
