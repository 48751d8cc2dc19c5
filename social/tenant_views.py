"""Tenants ask for support or report nuisance, and follow the status of their own reports.

A tenant sees status only: never notes, outcome notes, other parties or who works on the case.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tickets.selectors import household_current_for
from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.roles import Role

from . import selectors, services
from .models import NuisanceKind
from .tenant_forms import NuisanceReportForm, SupportRequestForm

EMERGENCY_NUMBER = "112"
POLICE_NON_EMERGENCY_NUMBER = "0900-8844"


def _no_household(request):
    # The reports page explains that no current tenancy was found and whom to call.
    return redirect("social:tenant_reports")


def _thank(request, case, *, may_be_contacted: bool) -> None:
    if may_be_contacted:
        text = _(
            "Thank you. Your report has number %(number)s. A social worker will contact you "
            "within %(days)s working days."
        )
    else:
        text = _(
            "Thank you. Your report has number %(number)s. You chose not to be contacted; "
            "a social worker will look into your report."
        )
    messages.success(request, text % {"number": case.number, "days": services.INTAKE_WORKING_DAYS})
    if case.nuisance_kind == NuisanceKind.THREAT:
        messages.warning(request, _danger_text())


def _danger_text() -> str:
    return _(
        "Are you in danger? Call %(emergency)s. For the police when it is not urgent, "
        "call %(police)s."
    ) % {"emergency": EMERGENCY_NUMBER, "police": POLICE_NON_EMERGENCY_NUMBER}


def _posted(request):
    # An empty POST is still a submission: it must show "required", not a blank form.
    return request.POST if request.method == "POST" else None


def _initial_phone(request, household) -> dict:
    return {"phone": household.phone or request.user.phone}


@role_required(Role.TENANT)
@require_http_methods(["GET", "POST"])
def support_request_new(request):
    household = household_current_for(request.user)
    if household is None:
        return _no_household(request)
    form = SupportRequestForm(_posted(request), initial=_initial_phone(request, household))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.support_request_submit(
                household=household, submitted_by=request.user, **form.cleaned_data
            )
        except services.CaseError as error:
            form.add_error(None, error)
        else:
            _thank(request, case, may_be_contacted=form.cleaned_data["may_be_contacted"])
            return redirect("social:tenant_reports")
    return render(request, "social/tenant_support_form.html", {"form": form})


@role_required(Role.TENANT)
@require_http_methods(["GET", "POST"])
def nuisance_report_new(request):
    household = household_current_for(request.user)
    if household is None:
        return _no_household(request)
    form = NuisanceReportForm(
        _posted(request), household=household, initial=_initial_phone(request, household)
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.nuisance_report_submit(
                household=household, submitted_by=request.user, **form.cleaned_data
            )
        except services.CaseError as error:
            form.add_error(None, error)
        else:
            _thank(request, case, may_be_contacted=form.cleaned_data["may_be_contacted"])
            return redirect("social:tenant_reports")
    return render(
        request,
        "social/tenant_nuisance_form.html",
        {"form": form, "danger_text": _danger_text()},
    )


@role_required(Role.TENANT)
def tenant_reports(request):
    household = household_current_for(request.user)
    return render(
        request,
        "social/tenant_reports.html",
        {"household": household, "reports": selectors.tenant_reports_for(household)},
    )


urlpatterns = [
    path("hulp/", support_request_new, name="support_request_new"),
    path("overlast/", nuisance_report_new, name="nuisance_report_new"),
    path("mijn-meldingen/", tenant_reports, name="tenant_reports"),
]
