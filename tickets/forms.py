from datetime import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .constants import DAY_PARTS, WEEKDAYS, CauseFound, Room
from .models import VisitOutcome
from .photo_services import photos_process_all
from .photos import MAX_PHOTOS_PER_REQUEST, TOO_MANY_PHOTOS, PhotoRejected, ProcessedPhoto


class DefectChoiceField(forms.ModelChoiceField):
    """A defect shown with its trade ("Plumbing › Leaking tap"), in the reader's language."""

    def label_from_instance(self, obj) -> str:
        return str(obj)


class AvailabilityField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        choices = [
            (f"{day}-{part}", format_lazy("{day} {part}", day=day_label, part=part_label))
            for day, day_label in WEEKDAYS
            for part, part_label in DAY_PARTS
        ]
        super().__init__(choices=choices, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to five photos; each is checked and re-encoded while the form is cleaned."""

    widget = MultipleFileInput(
        attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif"}
    )

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(PhotosField, self).clean(item, initial) for item in files]


class PhotoUploadMixin:
    """Cleans a `photos` field into processed photos; `existing_photos` (already on the request, or kept
    from an earlier try) count toward the limit of five."""

    def __init__(self, *args, existing_photos: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.photos_already_attached = existing_photos

    def clean_photos(self) -> list[ProcessedPhoto]:
        files = self.cleaned_data["photos"]
        if self.photos_already_attached + len(files) > MAX_PHOTOS_PER_REQUEST:
            raise forms.ValidationError(TOO_MANY_PHOTOS % {"count": MAX_PHOTOS_PER_REQUEST})
        try:
            # One bad file refuses them all; nothing is stored while cleaning.
            return photos_process_all(files)
        except PhotoRejected as rejection:
            raise forms.ValidationError(rejection.message) from None


class RepairRequestForm(PhotoUploadMixin, forms.Form):
    """The shape of a tenant's report; saving is the service's job.

    `shared_area` leaves out the room; `needs_reason` asks why we should do a tenant's own job.
    """

    room = forms.ChoiceField(
        label=_("Where in your home?"), choices=[("", "—"), *Room.choices], required=False
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("For example: the tap in the kitchen keeps dripping, also when it is closed."),
    )
    tenant_reason = forms.CharField(
        label=_("Why should we do this for you?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_(
            "For example: I cannot do it myself because of my health. The office will decide."
        ),
    )
    photos = PhotosField(
        label=_("Photos (optional)"),
        required=False,
        help_text=_("Up to 5 photos of at most 10 MB each (JPEG, PNG, WebP or iPhone HEIC)."),
    )
    availability_slots = AvailabilityField(label=_("When is someone at home?"), required=False)
    availability = forms.CharField(
        label=_("Anything else about when we can come?"),
        max_length=500,
        required=False,
        help_text=_("For example: not on Friday 12 December."),
    )
    contact_phone = forms.CharField(label=_("Phone number"), max_length=32, required=False)
    consent_caretaker_key = forms.BooleanField(
        label=_("If nobody is home, the contractor may go in with the caretaker's key."),
        required=False,
    )

    def __init__(
        self,
        *args,
        shared_area: bool = False,
        needs_reason: bool = False,
        kept_photos: int = 0,
        **kwargs,
    ):
        super().__init__(*args, existing_photos=kept_photos, **kwargs)
        self.needs_reason = needs_reason
        if shared_area:
            del self.fields["room"]
            del self.fields["consent_caretaker_key"]
        if needs_reason:
            self.fields["tenant_reason"].required = True
        else:
            del self.fields["tenant_reason"]

    def clean_description(self) -> str:
        description = self.cleaned_data["description"].strip()
        if len(description) < 5:
            raise forms.ValidationError(_("Please describe the problem in a few words."))
        return description


class AddInfoForm(PhotoUploadMixin, forms.Form):
    message = forms.CharField(
        label=_("Add information"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    photos = PhotosField(
        label=_("Add photos"),
        required=False,
        help_text=_("At most 10 MB each (JPEG, PNG, WebP or iPhone HEIC)."),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("message", "").strip() and not cleaned.get("photos"):
            raise forms.ValidationError(_("Write something or choose a photo to add."))
        return cleaned


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the repair?"),
        choices=[
            (5, _("5 – very satisfied")),
            (4, _("4 – satisfied")),
            (3, _("3 – neutral")),
            (2, _("2 – dissatisfied")),
            (1, _("1 – very dissatisfied")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class AppointmentForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("start_time")
            and cleaned.get("end_time")
            and cleaned["end_time"] <= cleaned["start_time"]
        ):
            raise forms.ValidationError(_("The appointment must end after it starts."))
        if cleaned.get("day") and cleaned["day"] < timezone.localdate():
            self.add_error("day", _("Choose a date today or later."))
        return cleaned

    def moments(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["day"]
        return (
            timezone.make_aware(datetime.combine(day, self.cleaned_data["start_time"])),
            timezone.make_aware(datetime.combine(day, self.cleaned_data["end_time"])),
        )


class WorkOrderCompleteForm(PhotoUploadMixin, forms.Form):
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
    cause_found = forms.ChoiceField(
        label=_("Cause found"),
        choices=[("", "—"), *CauseFound.choices],
        help_text=_("Damage by the resident or a change they made may be charged to the tenant."),
    )
    materials = forms.CharField(
        label=_("Materials used"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    photos = PhotosField(
        label=_("Photos of the result (optional)"),
        required=False,
        help_text=_("At most 10 MB each (JPEG, PNG, WebP or iPhone HEIC)."),
    )


class AcceptForm(forms.Form):
    estimate = forms.DecimalField(
        label=_("Estimate excl. VAT (€)"),
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        max_digits=10,
        decimal_places=2,
        localize=True,
        required=False,
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class AttemptForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened?"), choices=VisitOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
