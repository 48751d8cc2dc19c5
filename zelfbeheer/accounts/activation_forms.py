"""The shape of the activation input; redeeming and generating are the job of `activation`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zelfbeheer.housing.models import Building

from .activation import code_invalid_message, code_is_well_formed, code_normalise


class ActivationForm(forms.Form):
    code = forms.CharField(
        label=_("Activation code"),
        max_length=32,
        help_text=_("The code from the letter, for example ABCDE-23456."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send your login codes to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    email_again = forms.EmailField(
        label=_("Your e-mail address again"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        # A typo in the format is not worth a guess from the rate limit, and gets the same answer.
        if not code_is_well_formed(code):
            raise forms.ValidationError(code_invalid_message())
        return code_normalise(code)

    def clean(self) -> dict:
        cleaned = super().clean()
        email, again = cleaned.get("email"), cleaned.get("email_again")
        if email and again and email.strip().lower() != again.strip().lower():
            self.add_error("email_again", _("The two e-mail addresses are not the same."))
        return cleaned


class ActivationLettersForm(forms.Form):
    building = forms.ModelChoiceField(
        label=_("Letters for"),
        queryset=Building.objects.select_related("complex"),
        required=False,
        empty_label=_("All homes"),
        help_text=_(
            "New letters replace earlier ones: codes in letters made before for these homes stop working."
        ),
    )
