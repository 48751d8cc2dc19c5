"""The social worker's case list filters (django-filter)."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zelfbeheer.filters import ChoicesWhenShownFilterSet
from zelfbeheer.widgets import LongSelect

from .forms import WorkerChoiceField
from .models import OPEN_CASE_STATUSES, CaseParty, CaseStatus, CaseType
from .selectors import social_workers


class WorkerFilter(django_filters.ModelChoiceFilter):
    field_class = WorkerChoiceField


class CaseListFilter(ChoicesWhenShownFilterSet):
    one_fetch_choices = ("worker",)

    scope = django_filters.ChoiceFilter(
        label=_("Cases"),
        choices=[("mine", _("My cases")), ("team", _("Team cases"))],
        method="filter_scope",
        empty_label=_("All cases"),
        widget=LongSelect,
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    case_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=CaseType.choices, widget=LongSelect
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("open", _("All open")), *CaseStatus.choices],
        method="filter_status",
        widget=LongSelect,
    )
    worker = WorkerFilter(
        label=_("Social worker"),
        field_name="assigned_workers",
        queryset=social_workers(),
        widget=LongSelect,
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue actions"),
        method="filter_overdue",
        widget=django_filters.widgets.BooleanWidget,
    )

    def filter_scope(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "mine":
            return queryset.filter(is_mine=True)
        if value == "team":
            return queryset.filter(is_mine=False)
        return queryset

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "open":
            return queryset.filter(status__in=OPEN_CASE_STATUSES)
        return queryset.filter(status=value)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        # EXISTS rather than a join on parties, so no DISTINCT over the whole list is needed.
        matching_party = CaseParty.objects.filter(case=OuterRef("pk")).filter(
            Q(household__name__icontains=value)
            | Q(home__street__icontains=value)
            | Q(home__postcode__icontains=value.upper())
            | Q(home__unit_id__iexact=value)
        )
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(Exists(matching_party))
        )

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(has_overdue=value)
