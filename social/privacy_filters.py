"""Filters of the access log for the privacy officer (django-filter)."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import Role

from .models import AccessPart


class _EmailChoiceField(forms.ModelChoiceField):
    """Workers are told apart by their e-mail address; several may share a name."""

    def label_from_instance(self, obj: User) -> str:
        return obj.email


class _UserFilter(django_filters.ModelChoiceFilter):
    field_class = _EmailChoiceField


def _log_readers(request=None) -> QuerySet[User]:
    # Only social workers read case files; coordinators read the log and the admin.
    return (
        User.objects.filter(groups__name__in=(Role.SOCIAL, Role.COORDINATOR))
        .distinct()
        .order_by("email")
    )


class AccessLogFilter(django_filters.FilterSet):
    user = _UserFilter(label=_("Who"), queryset=_log_readers)
    case = django_filters.CharFilter(
        label=_("Case number"), field_name="case__number", lookup_expr="icontains"
    )
    part = django_filters.ChoiceFilter(label=_("Part"), choices=AccessPart.choices)
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="at__date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_until = django_filters.DateFilter(
        label=_("Until"),
        field_name="at__date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
