"""The desk queue's filters (django-filter), including the presets the office uses all day."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zelfbeheer.housing.models import Building, Complex

from .constants import (
    ACTIVE_WORK_ORDER_STATUSES,
    OPEN_REQUEST_STATUSES,
    Channel,
    RequestStatus,
    Responsibility,
    SlaState,
    Urgency,
    WorkOrderStatus,
)
from .models import Contractor, WorkCategory

PRESETS = {
    "new": (
        _("New"),
        Q(status=RequestStatus.REGISTERED)
        | Q(status=RequestStatus.ASSESSING, routing_flagged=True),
    ),
    "at_risk": (
        _("At risk"),
        Q(status__in=OPEN_REQUEST_STATUSES, sla_state__in=(SlaState.AT_RISK, SlaState.OVERDUE)),
    ),
    "waiting_for_contractor": (
        _("Waiting for contractor"),
        Q(status=RequestStatus.IN_PROGRESS, work_orders__status=WorkOrderStatus.REGISTERED),
    ),
    "forwarded": (_("Forwarded to Bo-Ex"), Q(referrals__isnull=False)),
    "all_open": (_("All open"), Q(status__in=OPEN_REQUEST_STATUSES)),
}


class DeskQueueFilter(django_filters.FilterSet):
    preset = django_filters.ChoiceFilter(
        label=_("View"),
        choices=[(key, label) for key, (label, _condition) in PRESETS.items()],
        method="filter_preset",
        empty_label=_("Everything"),
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=RequestStatus.choices)
    urgency = django_filters.ChoiceFilter(label=_("Urgency"), choices=Urgency.choices)
    trade = django_filters.ModelChoiceFilter(
        label=_("Trade"),
        field_name="category__parent",
        queryset=WorkCategory.objects.filter(parent__isnull=True),
    )
    building = django_filters.ModelChoiceFilter(
        label=_("Building"),
        method="filter_building",
        queryset=Building.objects.select_related("complex"),
    )
    complex = django_filters.ModelChoiceFilter(
        label=_("Complex"), method="filter_complex", queryset=Complex.objects.all()
    )
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    responsibility = django_filters.ChoiceFilter(
        label=_("Responsible"), choices=Responsibility.choices
    )
    sla_state = django_filters.ChoiceFilter(label=_("SLA"), choices=SlaState.choices)
    contractor = django_filters.ModelChoiceFilter(
        label=_("Contractor"), method="filter_contractor", queryset=Contractor.objects.all()
    )

    def filter_preset(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(PRESETS[value][1]).distinct() if value in PRESETS else queryset

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(home__street__icontains=value)
            | Q(home__postcode__icontains=value.upper())
            | Q(home__unit_id__iexact=value)
            | Q(building__name__icontains=value)
            | Q(household__name__icontains=value)
            | Q(description__icontains=value)
        )

    def filter_building(self, queryset: QuerySet, name: str, value: Building) -> QuerySet:
        return queryset.filter(Q(home__building=value) | Q(building=value))

    def filter_complex(self, queryset: QuerySet, name: str, value: Complex) -> QuerySet:
        return queryset.filter(Q(home__building__complex=value) | Q(building__complex=value))

    def filter_contractor(self, queryset: QuerySet, name: str, value: Contractor) -> QuerySet:
        return queryset.filter(
            work_orders__contractor=value, work_orders__status__in=ACTIVE_WORK_ORDER_STATUSES
        ).distinct()
