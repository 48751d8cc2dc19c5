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


def test_values_are_kept_per_release(monkeypatch, settings):
    """A deploy must not serve what the previous release rendered, even before the data changes."""
    from zelfbeheer import versioned_cache

    kept = versioned_cache.VersionedCache("test:release", timeout_seconds=60)
    made = []
    monkeypatch.setattr(versioned_cache, "code_release", lambda: "release-1")
    kept.get_or_make(("page",), lambda: made.append(1) or "old html")
    assert kept.get_or_make(("page",), lambda: made.append(1) or "old html") == "old html"

    monkeypatch.setattr(versioned_cache, "code_release", lambda: "release-2")

    assert kept.get_or_make(("page",), lambda: made.append(2) or "new html") == "new html"
    assert made == [1, 2]


def test_the_release_is_the_setting_or_a_digest_of_the_code(settings):
    from zelfbeheer.versioned_cache import code_release

    code_release.cache_clear()
    settings.RELEASE = ""
    digest = code_release()
    assert len(digest) == 16
    code_release.cache_clear()
    settings.RELEASE = "2026.11.26-abc123"
    assert code_release() == "2026.11.26-abc123"
    code_release.cache_clear()
