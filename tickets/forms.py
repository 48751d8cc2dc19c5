from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import Room
from .models import WorkCategory
from .selectors import work_categories_for_reporting


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: WorkCategory) -> str:
        return f"{obj.parent.name} – {obj.name}"


class RepairRequestForm(forms.Form):
    """The shape of a tenant's report; saving is the service's job."""

    category = CategoryChoiceField(
        label=_("What is broken?"),
        queryset=WorkCategory.objects.none(),
        empty_label=_("Choose the defect"),
    )
    room = forms.ChoiceField(
        label=_("Where in your home?"), choices=[("", "—"), *Room.choices], required=False
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("For example: the tap in the kitchen keeps dripping, also when it is closed."),
    )
    availability = forms.CharField(
        label=_("When is someone at home?"),
        max_length=500,
        required=False,
        help_text=_("For example: weekday mornings, not on Fridays."),
    )
    contact_phone = forms.CharField(label=_("Phone number"), max_length=32, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = work_categories_for_reporting()

    def clean_description(self) -> str:
        description = self.cleaned_data["description"].strip()
        if len(description) < 5:
            raise forms.ValidationError(_("Please describe the problem in a few words."))
        return description


class WorkOrderCompleteForm(forms.Form):
    notes = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    hours = forms.DecimalField(
        label=_("Hours worked"),
        min_value=Decimal("0"),
        max_value=Decimal("500"),
        decimal_places=2,
        required=False,
    )
    total_cost = forms.DecimalField(
        label=_("Total cost excl. VAT (€)"),
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        max_digits=10,
        decimal_places=2,
        localize=True,
    )
