"""The desk queue's filters (django-filter), including the presets the office uses all day."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zelfbeheer.filters import ChoicesWhenShownFilterSet
from zelfbeheer.housing.models import Building, Complex
from zelfbeheer.widgets import ChoicesOnDemand, LongSelect, LongSelectMultiple, empty_choice

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
from .models import Contractor, Referral, WorkCategory, WorkOrder

# Conditions on work orders and referrals are EXISTS subqueries, not joins: a join needs DISTINCT, and
# DISTINCT over a million requests sorts all of them before the first page can be shown.
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
        Q(
            Exists(
                WorkOrder.objects.filter(request=OuterRef("pk"), status=WorkOrderStatus.REGISTERED)
            ),
            status=RequestStatus.IN_PROGRESS,
        ),
    ),
    "forwarded": (
        _("Forwarded to Bo-Ex"),
        Q(Exists(Referral.objects.filter(request=OuterRef("pk")))),
    ),
    "all_open": (_("All open"), Q(status__in=OPEN_REQUEST_STATUSES)),
}


class DeskQueueFilter(ChoicesWhenShownFilterSet):
    one_fetch_choices = ("trade", "contractor")

    preset = django_filters.ChoiceFilter(
        label=_("View"),
        choices=[(key, label) for key, (label, _condition) in PRESETS.items()],
        method="filter_preset",
        empty_label=_("Everything"),
        widget=LongSelect,
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=RequestStatus.choices, widget=LongSelectMultiple
    )
    urgency = django_filters.ChoiceFilter(
        label=_("Urgency"), choices=Urgency.choices, widget=LongSelect
    )
    trade = django_filters.ModelChoiceFilter(
        label=_("Trade"),
        field_name="category__parent",
        queryset=WorkCategory.objects.filter(parent__isnull=True),
        widget=LongSelect,
    )
    building = django_filters.ModelChoiceFilter(
        label=_("Building"),
        method="filter_building",
        queryset=Building.objects.select_related("complex"),
        widget=LongSelect,
    )
    complex = django_filters.ModelChoiceFilter(
        label=_("Complex"),
        method="filter_complex",
        queryset=Complex.objects.all(),
        widget=LongSelect,
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Channel.choices, widget=LongSelect
    )
    responsibility = django_filters.ChoiceFilter(
        label=_("Responsible"), choices=Responsibility.choices, widget=LongSelect
    )
    sla_state = django_filters.ChoiceFilter(
        label=_("SLA"), choices=SlaState.choices, widget=LongSelect
    )
    contractor = django_filters.ModelChoiceFilter(
        label=_("Contractor"),
        method="filter_contractor",
        queryset=Contractor.objects.all(),
        widget=LongSelect,
    )

    def make_choices_when_shown(self, form) -> None:
        _complex_choices_from_buildings(form.fields["building"], form.fields["complex"])

    def filter_preset(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(PRESETS[value][1]) if value in PRESETS else queryset

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
            Exists(
                WorkOrder.objects.filter(
                    request=OuterRef("pk"),
                    contractor=value,
                    status__in=ACTIVE_WORK_ORDER_STATUSES,
                )
            )
        )


def _complex_choices_from_buildings(building_field, complex_field) -> None:
    """Both selects from one read of the buildings with their complexes, made only when the form is
    shown (the page's query budget is 10; the htmx refresh shows no form). A complex without buildings
    has no requests to filter on, so it is not missed. Plain rows, not model objects: a corporation
    has a thousand buildings."""
    rows = ChoicesOnDemand(
        lambda: list(
            building_field.queryset.values_list("pk", "name", "complex_id", "complex__name")
        )
    )
    building_field.widget.choices = ChoicesOnDemand(
        lambda: [*empty_choice(building_field), *((pk, name) for pk, name, _id, _name in rows)]
    )
    complex_field.widget.choices = ChoicesOnDemand(
        lambda: [
            *empty_choice(complex_field),
            *{complex_id: name for _pk, _name, complex_id, name in rows}.items(),
        ]
    )
