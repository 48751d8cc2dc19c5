"""Forms of the money pages: the shape of input only. The money rules live in budget.services."""

from decimal import Decimal

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import AmountField
from .models import BudgetLine, ExpenseCategory, FinancialYear

MAX_TRANCHES = 4


def money_field(label, **kwargs) -> AmountField:
    """Euros and cents; negatives are left to the service's rule."""
    return AmountField(label=label, **kwargs)


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


class BudgetLineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: BudgetLine) -> str:
        return f"{obj.code} {obj.name}"


def _lines_of(financial_year: FinancialYear):
    return BudgetLine.objects.filter(financial_year=financial_year).order_by("code")


class ExpenseForm(forms.Form):
    budget_line = BudgetLineChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    category = forms.ChoiceField(label=_("Kind"), choices=ExpenseCategory.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    amount_excl_vat = money_field(_("Amount excl. VAT (€)"))
    vat_amount = money_field(_("VAT (€)"), initial=Decimal("0.00"))
    spent_on = date_field(_("Date"))

    def __init__(self, *args, financial_year: FinancialYear, **kwargs):
        kwargs.setdefault("auto_id", "expense-%s")
        super().__init__(*args, **kwargs)
        # Only this year's lines: a line of another year is not a valid choice.
        self.fields["budget_line"].queryset = _lines_of(financial_year)
        today = timezone.localdate()
        if today.year == financial_year.year:
            self.fields["spent_on"].initial = today


class ExpenseCorrectForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=300)
    amount_excl_vat = money_field(_("Amount excl. VAT (€)"))
    vat_amount = money_field(_("VAT (€)"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "correct-%s")
        super().__init__(*args, **kwargs)


class GrantForm(forms.Form):
    """A grant and up to four tranches, as fixed date–amount pairs; the service checks they add up."""

    description = forms.CharField(label=_("Description"), max_length=200)
    amount = money_field(_("Amount granted (€)"))
    granted_on = date_field(_("Granted on"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "grant-%s")
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_TRANCHES + 1):
            self.fields[f"tranche_{number}_expected_on"] = date_field(
                _("Expected on"), required=False
            )
            # A tranche cannot be negative; the database refuses it, so the form says so first.
            self.fields[f"tranche_{number}_amount"] = money_field(
                _("Amount (€)"), required=False, min_value=Decimal("0")
            )

    def tranche_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        """(number, date field, amount field) per tranche, for one fieldset each."""
        return [
            (number, self[f"tranche_{number}_expected_on"], self[f"tranche_{number}_amount"])
            for number in range(1, MAX_TRANCHES + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        tranches = []
        for number in range(1, MAX_TRANCHES + 1):
            date_name, amount_name = f"tranche_{number}_expected_on", f"tranche_{number}_amount"
            if date_name in self.errors or amount_name in self.errors:
                continue
            expected_on, amount = cleaned.get(date_name), cleaned.get(amount_name)
            if expected_on is None and amount is None:
                continue
            if expected_on is None:
                self.add_error(date_name, _("Fill in when this tranche is expected."))
            elif amount is None:
                self.add_error(amount_name, _("Fill in the amount of this tranche."))
            else:
                tranches.append((expected_on, amount))
        cleaned["tranches"] = tranches
        return cleaned


class TrancheReceivedForm(forms.Form):
    received_on = date_field(_("Received on"))

    def __init__(self, *args, tranche_pk: int, **kwargs):
        kwargs.setdefault("auto_id", f"tranche-{tranche_pk}-%s")
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ExpenseFilter(django_filters.FilterSet):
    budget_line = django_filters.ModelChoiceFilter(
        label=_("Budget line"), queryset=BudgetLine.objects.none()
    )
    category = django_filters.ChoiceFilter(label=_("Kind"), choices=ExpenseCategory.choices)

    def __init__(self, *args, financial_year: FinancialYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["budget_line"].queryset = _lines_of(financial_year)
