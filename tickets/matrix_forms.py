"""The shape of the coordinator's matrix input; the rules about dates live in `tickets.matrix`."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import PhaseCode, Responsibility
from .models import ResponsibilityRule, WorkCategory


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CategoryChoiceField(forms.ModelChoiceField):
    """Trades and their defects, a defect shown as "Trade › Defect"; one query for the options."""

    def __init__(self, **kwargs):
        queryset = WorkCategory.objects.select_related("parent").order_by("parent__name", "name")
        super().__init__(queryset=queryset, **kwargs)


class MatrixDateForm(forms.Form):
    op = forms.DateField(label=_("Show the matrix on"), required=False, widget=DateInput())

    def on_date(self):
        """The chosen date, or today when none (or a malformed one) was given."""
        if self.is_valid() and self.cleaned_data["op"]:
            return self.cleaned_data["op"]
        return timezone.localdate()


class ResponsibilityRuleForm(forms.Form):
    category = CategoryChoiceField(label=_("Work category"))
    responsibility = forms.ChoiceField(label=_("Responsible"), choices=Responsibility.choices)
    effective_from = forms.DateField(
        label=_("Effective from"),
        widget=DateInput(),
        help_text=_("Today or later; rules of past dates are history and cannot be changed."),
    )


class ResponsibilityRuleDeleteForm(forms.Form):
    rule = forms.ModelChoiceField(queryset=ResponsibilityRule.objects.order_by("pk"))


class PhaseForm(forms.Form):
    code = forms.ChoiceField(label=_("Phase"), choices=PhaseCode.choices)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())


class PreviewForm(forms.Form):
    category = CategoryChoiceField(label=_("Work category"))
    op = forms.DateField(label=_("Reported on"), widget=DateInput())
