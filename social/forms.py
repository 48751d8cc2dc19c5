"""Forms of the social worker's case file. Rules live in social.services; forms check shape only."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    CaseOutcome,
    CaseParty,
    CaseSource,
    CaseStatus,
    CaseType,
    NoteKind,
    NuisanceKind,
    PartyRole,
    ReferralTarget,
    SessionKind,
)
from .selectors import social_workers

CASE_NUMBER_LENGTH = 16


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.email


class WorkersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.email


class CaseCreateForm(forms.Form):
    case_type = forms.ChoiceField(label=_("Type"), choices=CaseType.choices)
    title = forms.CharField(label=_("Short title"), max_length=200)
    source = forms.ChoiceField(label=_("How did the case come in?"), choices=CaseSource.choices)
    nuisance_kind = forms.ChoiceField(
        label=_("Kind of nuisance"),
        choices=[("", "—"), *NuisanceKind.choices],
        required=False,
        help_text=_("Only for nuisance cases."),
    )
    intake_text = forms.CharField(
        label=_("What is going on"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000
    )
    referrer_organisation = forms.CharField(
        label=_("Referred by (organisation)"), max_length=200, required=False
    )
    referrer_email = forms.EmailField(
        label=_("Referrer's e-mail"),
        required=False,
        help_text=_("The referrer is told the outcome when the case ends, never its content."),
    )
    assign_to_me = forms.BooleanField(label=_("I take this case"), required=False, initial=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("case_type") == CaseType.NUISANCE and not cleaned.get("nuisance_kind"):
            self.add_error("nuisance_kind", _("Choose the kind of nuisance."))
        return cleaned


class CaseEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    case_type = forms.ChoiceField(label=_("Type"), choices=CaseType.choices)
    title = forms.CharField(label=_("Short title"), max_length=200, required=False)
    nuisance_kind = forms.ChoiceField(
        label=_("Kind of nuisance"), choices=[("", "—"), *NuisanceKind.choices], required=False
    )
    intake_text = forms.CharField(
        label=_("Intake"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000, required=False
    )
    mediation_unsuitable_reason = forms.CharField(
        label=_("Not suitable for mediation because"),
        max_length=300,
        required=False,
        help_text=_(
            "Threats, discrimination or psychological vulnerability: such cases are referred on, "
            "not mediated."
        ),
    )
    referrer_organisation = forms.CharField(
        label=_("Referred by (organisation)"), max_length=200, required=False
    )
    referrer_email = forms.EmailField(label=_("Referrer's e-mail"), required=False)


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", "—"), *CaseOutcome.choices],
        required=False,
        help_text=_("Needed when the case is closed or referred."),
    )
    outcome_note = forms.CharField(
        label=_("Outcome explained"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )


class WorkersForm(forms.Form):
    workers = WorkersChoiceField(
        label=_("Social workers"),
        queryset=social_workers(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PartySearchForm(forms.Form):
    party_q = forms.CharField(
        label=_("Find a household (postcode and number, street, unit id or name)"),
        max_length=100,
        required=False,
    )


class PartyAddForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    household = forms.UUIDField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(
        label=_("Or describe the party"),
        max_length=200,
        required=False,
        help_text=_("For someone who does not live in one of our homes."),
    )
    may_be_contacted = forms.BooleanField(label=_("May be contacted"), required=False, initial=True)
    contact_phone = forms.CharField(label=_("Phone"), max_length=32, required=False)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoteKind.choices)
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000
    )


class ActionForm(forms.Form):
    description = forms.CharField(label=_("What"), max_length=300)
    due_date = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    assigned_to = WorkerChoiceField(
        label=_("Who"), queryset=social_workers(), required=False, empty_label=_("Anyone")
    )

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return due_date


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.ModelMultipleChoiceField(
        label=_("Parties present"),
        queryset=CaseParty.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_participants = forms.CharField(label=_("Others present"), max_length=300, required=False)
    agreements = forms.CharField(
        label=_("Agreements reached"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
        required=False,
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["participants"].queryset = case.parties.select_related(
                "household__home", "home"
            )
            self.fields["participants"].label_from_instance = lambda party: party.label


class ReferralForm(forms.Form):
    target = forms.ChoiceField(label=_("Refer to"), choices=ReferralTarget.choices)
    organisation = forms.CharField(
        label=_("Organisation or contact"), max_length=200, required=False
    )
    party = forms.ModelChoiceField(
        label=_("About"), queryset=CaseParty.objects.none(), required=False, empty_label="—"
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    consent_given = forms.BooleanField(
        label=_("The resident agreed to this referral"), required=False
    )
    without_consent_ground = forms.CharField(
        label=_("Ground for referring without consent"),
        max_length=300,
        required=False,
        help_text=_("Only for the police, for example in acute danger."),
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["party"].queryset = case.parties.select_related("household__home", "home")
            self.fields["party"].label_from_instance = lambda party: party.label


class RepairRequestLinkForm(forms.Form):
    number = forms.CharField(
        label=_("Repair request number"),
        max_length=CASE_NUMBER_LENGTH,
        help_text=_("For example M-2026-00042."),
    )
