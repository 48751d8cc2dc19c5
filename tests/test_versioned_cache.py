"""The versioned cache is an aid, never a condition: without the cache pages are made and saves go on."""

from unittest import mock

import pytest
from django.core.cache import cache

from zelfbeheer.versioned_cache import VersionedCache

# `changed` registers its second renewal with the transaction.
pytestmark = pytest.mark.django_db


@pytest.fixture
def kept():
    return VersionedCache("test:kept", timeout_seconds=60)


def test_a_value_is_made_once_per_version_and_again_after_a_change(
    kept, django_capture_on_commit_callbacks
):
    made = []

    def make():
        made.append(1)
        return len(made)

    assert kept.get_or_make(("a",), make) == 1
    assert kept.get_or_make(("a",), make) == 1
    assert kept.get_or_make(("b",), make) == 2
    with django_capture_on_commit_callbacks(execute=True):
        kept.changed()
    assert kept.get_or_make(("a",), make) == 3


def test_old_versions_are_overwritten_not_left_behind(kept):
    kept.get_or_make(("a",), lambda: "first")
    kept.changed()
    kept.get_or_make(("a",), lambda: "second")

    assert cache.get(kept.key(("a",)))[1] == "second"


def test_without_the_cache_values_are_made_and_changes_do_not_fail(kept):
    broken = mock.patch.multiple(
        cache,
        get=mock.Mock(side_effect=ConnectionError("down")),
        set=mock.Mock(side_effect=ConnectionError("down")),
        add=mock.Mock(side_effect=ConnectionError("down")),
    )
    with broken:
        assert kept.get_or_make(("a",), lambda: "made") == "made"
        kept.changed()  # a save must not fail because the cache is away
