from django import forms
from django.utils.translation import gettext_lazy as _

from zelfbeheer.housing.models import ContactPreference

from .constants import Channel, Room
from .forms import AvailabilityField, DefectChoiceField
from .models import VisitReason, WorkCategory


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Postcode and house number, street, or name"),
        max_length=100,
        help_text=_("For example 3531 KA 12, or Kaneelstraat 12."),
    )


class DeskReportForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How did the tenant report it?"),
        choices=[(Channel.DESK, Channel.DESK.label), (Channel.PHONE, Channel.PHONE.label)],
    )
    category = DefectChoiceField(
        label=_("Defect"),
        queryset=WorkCategory.objects.filter(parent__isnull=False).select_related("parent"),
    )
    room = forms.ChoiceField(label=_("Room"), choices=[("", "—"), *Room.choices], required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    tenant_reason = forms.CharField(
        label=_("Reason, if it is the tenant's own job"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    availability_slots = AvailabilityField(label=_("When is someone at home?"), required=False)
    availability = forms.CharField(label=_("Other availability"), max_length=500, required=False)
    contact_phone = forms.CharField(label=_("Phone number"), max_length=32, required=False)
    consent_caretaker_key = forms.BooleanField(
        label=_("The contractor may use the caretaker's key when nobody is home."), required=False
    )
    contact_preference = forms.ChoiceField(
        label=_("Keep the tenant informed by"), choices=ContactPreference.choices
    )


class VisitForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for the visit"), choices=VisitReason.choices)
    referred_to = forms.CharField(label=_("Referred to"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
