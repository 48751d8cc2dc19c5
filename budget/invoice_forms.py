"""The shape of invoice input. The money rules (four eyes, years, duplicates, PDF check) live in
budget.services; these forms only turn what was typed into values."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.models import Contractor, RepairRequest
from tickets.selectors import repair_request_current_work_order

from .fields import AmountField
from .models import BudgetLine, Invoice


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def budget_line_choices():
    return BudgetLine.objects.select_related("financial_year").order_by(
        "-financial_year__year", "code"
    )


class BudgetLineChoiceField(forms.ModelChoiceField):
    """Lines of every year, newest year first, labelled "2026 · DO-01 Daily maintenance"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", budget_line_choices())
        super().__init__(**kwargs)

    def label_from_instance(self, obj: BudgetLine) -> str:
        return f"{obj.financial_year.year} · {obj.code} {obj.name}"


class InvoiceForm(forms.Form):
    contractor = forms.ModelChoiceField(
        label=_("Contractor"),
        queryset=Contractor.objects.order_by("name"),
        required=False,
        empty_label=_("None: another supplier"),
        help_text=_("Leave empty for a supplier without a contract and fill in its name below."),
    )
    supplier_name = forms.CharField(
        label=_("Other supplier"),
        max_length=Invoice._meta.get_field("supplier_name").max_length,
        required=False,
    )
    invoice_number = forms.CharField(
        label=_("Invoice number"), max_length=Invoice._meta.get_field("invoice_number").max_length
    )
    invoice_date = forms.DateField(label=_("Invoice date"), widget=DateInput())
    request_number = forms.CharField(
        label=_("Repair request number"),
        max_length=RepairRequest._meta.get_field("number").max_length,
        required=False,
        help_text=_(
            "For example M-2026-00042. The invoice is linked to that request's work order, and the "
            "budget line follows from the kind of repair."
        ),
    )
    budget_line = BudgetLineChoiceField(
        label=_("Budget line"),
        required=False,
        empty_label=_("From the repair request"),
        help_text=_("Needed when the invoice is not for a repair request."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=Invoice._meta.get_field("description").max_length,
        required=False,
    )
    amount_excl_vat = AmountField(label=_("Amount excl. VAT (€)"))
    vat_amount = AmountField(label=_("VAT (€)"))
    pdf = forms.FileField(
        label=_("The invoice as PDF"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("At most 10 MB."),
    )

    def clean_request_number(self) -> str:
        """The number as the portal writes it; its current work order (the latest one not
        cancelled) goes into cleaned_data["work_order"], None when no number was given."""
        number = self.cleaned_data["request_number"].strip().upper()
        self.cleaned_data["work_order"] = None
        if not number:
            return number
        repair_request = RepairRequest.objects.filter(number=number).first()
        if repair_request is None:
            raise ValidationError(
                _("There is no repair request with number %(number)s."),
                params={"number": number},
                code="unknown",
            )
        work_order = repair_request_current_work_order(repair_request)
        if work_order is None:
            raise ValidationError(
                _("Repair request %(number)s has no work order that can be invoiced."),
                params={"number": number},
                code="no_work_order",
            )
        self.cleaned_data["work_order"] = work_order
        return number


class VersionForm(forms.Form):
    """What the page showed: a change made by someone else in the meantime is refused, not overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # Several of these forms share the invoice page; their fields need ids of their own.
    id_prefix = "invoice"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class ApproveForm(VersionForm):
    id_prefix = "approve"


class RejectForm(VersionForm):
    id_prefix = "reject"
    reason = forms.CharField(
        label=_("Why is the invoice rejected?"),
        max_length=Invoice._meta.get_field("rejection_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The reason is kept with the invoice."),
    )


class MarkPaidForm(VersionForm):
    id_prefix = "paid"
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput(), initial=timezone.localdate)
