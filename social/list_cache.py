"""The case list's filter fields, kept in the cache per language and query until the social workers
change (the worker select lists them). Only the fields, and not while searching (the search holds what a
worker typed, often a name): the cases themselves are never cached, because they are confidential and
every view of the list is logged."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.utils.translation import get_language

from zelfbeheer.accounts.models import User
from zelfbeheer.versioned_cache import VersionedCache, query_key

from .filters import CaseListFilter

CASE_LIST_FORM = VersionedCache("social:case-list-form", timeout_seconds=10 * 60)


def _workers_may_have_changed(sender, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login changes nobody's name or roles
    CASE_LIST_FORM.changed()


def connect() -> None:
    # A user's save, removal or change of roles may add, drop or rename a social worker.
    for signal in (post_save, post_delete):
        signal.connect(_workers_may_have_changed, sender=User, dispatch_uid="case-list-form-user")
    m2m_changed.connect(
        _workers_may_have_changed, sender=User.groups.through, dispatch_uid="case-list-form-roles"
    )


def case_list_form_html(request: HttpRequest, case_filter: CaseListFilter) -> str:
    if request.GET.get("q", "").strip():
        return str(case_filter.form)
    return CASE_LIST_FORM.get_or_make(
        ("form", get_language(), query_key(request.GET)), lambda: str(case_filter.form)
    )
