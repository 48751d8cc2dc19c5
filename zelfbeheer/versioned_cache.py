"""Values kept in the cache until the data they were made from changes.

Each cache has one version key. Every write to its data gives it a new version (`changed`), and values
are stored under keys that hold the version, so after a write every page makes its values again and the
old ones are never read. Writers call `changed` through model signals; writes around the models
(queryset `.update()`, bulk loads, SQL by hand) must call it themselves, and the timeout is only the
safety net for a write that forgets.
"""

from collections.abc import Callable, Iterable
from hashlib import sha256
from typing import TypeVar
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

Value = TypeVar("Value")


class VersionedCache:
    def __init__(self, name: str, timeout_seconds: int):
        self.name = name
        self.version_key = f"{name}:version"
        self.timeout_seconds = timeout_seconds

    def _new_version(self) -> None:
        cache.set(self.version_key, uuid4().hex, timeout=None)

    def changed(self) -> None:
        """The data changed: the next read makes its values again.

        Now, so the writer's own next page shows the change, and again after the commit: a page that
        read the data while the transaction was still open saw the old rows, and must not be what
        stays."""
        self._new_version()
        transaction.on_commit(self._new_version)

    def version(self) -> str:
        version = cache.get(self.version_key)
        if version is None:
            # `add`, not `set`: two first readers at once agree on one version.
            cache.add(self.version_key, uuid4().hex, timeout=None)
            version = cache.get(self.version_key)
        return version

    def key(self, parts: Iterable[str]) -> str:
        # Hashed: parts may be a visitor's query string, of any length and with any characters.
        digest = sha256("\x1f".join(parts).encode()).hexdigest()[:32]
        return f"{self.name}:{self.version()}:{digest}"

    def get_or_make(self, parts: Iterable[str], make: Callable[[], Value]) -> Value:
        key = self.key(parts)
        value = cache.get(key)
        if value is None:
            value = make()
            cache.set(key, value, timeout=self.timeout_seconds)
        return value
