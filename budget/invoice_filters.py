"""Filters of the invoice list (django-filter)."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tickets.models import Contractor
from zelfbeheer.accounts.roles import Role, has_role

from .invoice_forms import BudgetLineChoiceField, DateInput, budget_line_choices
from .models import InvoiceStatus


class BudgetLineFilter(django_filters.ModelChoiceFilter):
    field_class = BudgetLineChoiceField


class InvoiceFilter(django_filters.FilterSet):
    waiting = django_filters.BooleanFilter(
        label=_("Waiting for my approval"), method="filter_waiting", widget=forms.CheckboxInput
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=InvoiceStatus.choices, empty_label=_("All statuses")
    )
    budget_line = BudgetLineFilter(
        label=_("Budget line"), queryset=budget_line_choices(), empty_label=_("All lines")
    )
    contractor = django_filters.ModelChoiceFilter(
        label=_("Contractor"),
        queryset=Contractor.objects.order_by("name"),
        empty_label=_("All contractors"),
    )
    date_from = django_filters.DateFilter(
        label=_("Invoice date from"),
        field_name="invoice_date",
        lookup_expr="gte",
        widget=DateInput(),
    )
    date_to = django_filters.DateFilter(
        label=_("Invoice date until"),
        field_name="invoice_date",
        lookup_expr="lte",
        widget=DateInput(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only board members approve, so only they have invoices waiting for them.
        if not has_role(self.request.user, Role.BOARD):
            del self.filters["waiting"]

    def filter_waiting(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        """Received invoices this board member neither entered nor approved yet (mirrors the service)."""
        if not value:
            return queryset
        user = self.request.user
        return (
            queryset.filter(status=InvoiceStatus.RECEIVED)
            .exclude(entered_by=user)
            .exclude(approvals__approver=user)
        )
