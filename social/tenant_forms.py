"""The shape of a tenant's support request and nuisance report; the services in social.services save them."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from zelfbeheer.housing.models import Home, Household

from .models import NuisanceKind, SinceWhen

WHAT_MAX_LENGTH = 4000
SUBJECT_DESCRIPTION_MAX_LENGTH = 200

OWN_ADDRESS = _("Choose the address the nuisance comes from, not your own address.")

# Loose on purpose: people write "06-1234 5678" or "+31 6 12345678"; the office calls, not a machine.
phone_validator = RegexValidator(
    r"^[0-9 +\-]{8,20}$",
    _(
        "Enter a phone number of 8 to 20 characters (digits, spaces, + or -), for example 06 12345678."
    ),
)


def _what_field(label, help_text) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=WHAT_MAX_LENGTH,
        error_messages={
            "required": _("Tell us in a few words what is going on."),
            "max_length": _("Please keep it shorter: at most %(limit_value)d characters."),
        },
    )


def _since_when_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Since when is this going on?"),
        choices=SinceWhen.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose since when this is going on.")},
    )


def _may_be_contacted_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("May a social worker contact you about this?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether we may contact you.")},
    )


def _phone_field() -> forms.CharField:
    return forms.CharField(
        label=_("Phone number (optional)"),
        help_text=_("So that the social worker can call you."),
        required=False,
        # The validator holds the length too, so a long number gets one message, not two.
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "maxlength": "20"}),
    )


class SupportRequestForm(forms.Form):
    what = _what_field(
        _("What is going on?"),
        _(
            "For example: I cannot manage my household alone any more, or I feel lonely. "
            "What you write here is read only by the social workers of the neighbourhood office."
        ),
    )
    since_when = _since_when_field()
    may_be_contacted = _may_be_contacted_field()
    phone = _phone_field()


class NeighbourHomeField(forms.ModelChoiceField):
    """A home in the tenant's own complex other than their own; the own address gets its own message."""

    def __init__(self, *args, own_home_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_home_id = own_home_id

    def to_python(self, value):
        if value not in self.empty_values and str(value) == str(self.own_home_id):
            raise forms.ValidationError(OWN_ADDRESS, code="own_address")
        return super().to_python(value)

    def label_from_instance(self, obj: Home) -> str:
        return obj.address


class NuisanceReportForm(forms.Form):
    nuisance_kind = forms.ChoiceField(
        label=_("What kind of nuisance is it?"),
        choices=NuisanceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of nuisance it is.")},
    )
    what = _what_field(
        _("What happens?"),
        _("For example: loud music every night after midnight. Describe what you see or hear."),
    )
    since_when = _since_when_field()
    subject_home = NeighbourHomeField(
        label=_("Which address does it come from?"),
        help_text=_("Only the addresses in your own complex are listed."),
        queryset=Home.objects.none(),
        required=False,
        empty_label=_("I don't know / somewhere else"),
        error_messages={
            "invalid_choice": _("Choose one of the addresses in the list, or “I don't know”.")
        },
    )
    subject_description = forms.CharField(
        label=_("Describe where it comes from (optional)"),
        help_text=_("For example: the flat above mine, or the courtyard behind number 12."),
        max_length=SUBJECT_DESCRIPTION_MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": _("Please keep it shorter: at most %(limit_value)d characters.")
        },
    )
    may_be_contacted = _may_be_contacted_field()
    phone = _phone_field()

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["subject_home"]
        field.own_home_id = household.home_id
        field.queryset = (
            Home.objects.filter(building__complex_id=household.home.building.complex_id)
            .exclude(pk=household.home_id)
            .only("pk", "street", "house_number", "house_number_addition")
            .order_by("street", "house_number", "house_number_addition")
        )
