from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import Responsibility, Urgency
from .forms import DefectChoiceField
from .models import RepairRequest, WorkCategory


class TriageForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    category = DefectChoiceField(
        label=_("Defect"),
        queryset=WorkCategory.objects.filter(parent__isnull=False).select_related("parent"),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    responsibility = forms.ChoiceField(label=_("Responsible"), choices=Responsibility.choices)
    override_reason = forms.CharField(
        label=_("Reason for deviating from the matrix"),
        required=False,
        max_length=500,
        help_text=_("Only needed when you choose another party than the responsibility matrix."),
    )
    internal_note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    public_message = forms.CharField(
        label=_("Message to the tenant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text=_(
            "The tenant sees this on the request page and is told by their preferred channel."
        ),
    )


class OwnJobForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    advice = forms.CharField(
        label=_("Advice for the tenant"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Explain kindly what they can do themselves, and where to buy what they need."),
    )


class ForwardForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label=_("What Bo-Ex needs to know"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class MergeForm(forms.Form):
    into_number = forms.CharField(label=_("Merge into request number"), max_length=16)

    def clean_into_number(self) -> RepairRequest:
        number = self.cleaned_data["into_number"].strip().upper()
        found = RepairRequest.objects.filter(number=number).first()
        if found is None:
            raise forms.ValidationError(_("There is no request %(number)s.") % {"number": number})
        return found


class BulkActionForm(forms.Form):
    ACTIONS = [
        ("urgency", _("Set urgency")),
        ("route", _("Route to a contractor")),
        ("merge", _("Merge into the oldest")),
        ("forward", _("Forward to Bo-Ex")),
    ]
    action = forms.ChoiceField(label=_("With the selected requests"), choices=ACTIONS)
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=[("", "—"), *Urgency.choices], required=False
    )
    selection = forms.ModelMultipleChoiceField(
        queryset=RepairRequest.objects.all(), to_field_name="pk"
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "urgency" and not cleaned.get("urgency"):
            self.add_error("urgency", _("Choose the urgency to set."))
        if cleaned.get("action") == "merge" and len(cleaned.get("selection") or []) < 2:
            self.add_error("selection", _("Select at least two requests to merge."))
        return cleaned


class SaveFilterForm(forms.Form):
    name = forms.CharField(label=_("Name of this view"), max_length=80)
    query = forms.CharField(widget=forms.HiddenInput, max_length=1000, required=False)
