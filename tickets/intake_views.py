"""Intake at the office: find a household, report for them, print a receipt, log the visit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.roles import Role

from . import intake, selectors, services
from .intake_forms import DeskReportForm, HouseholdSearchForm, VisitForm
from .models import Visit

DESK = (Role.DESK, Role.COORDINATOR)


@role_required(*DESK)
def intake_search(request: HttpRequest) -> HttpResponse:
    form = HouseholdSearchForm(request.GET or None)
    households = intake.households_find(form.cleaned_data["q"]) if form.is_valid() else []
    return render(
        request,
        "tickets/intake/search.html",
        {
            "form": form,
            "households": households,
            "visit_form": VisitForm(),
            "searched": form.is_bound,
        },
    )


def _household_or_404(household_uuid):
    household = intake.household_get_current(household_uuid)
    if household is None:
        raise Http404
    return household


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def intake_household(request: HttpRequest, household_uuid) -> HttpResponse:
    household = _household_or_404(household_uuid)
    form = DeskReportForm(
        request.POST or None,
        initial={
            "contact_phone": household.phone,
            "contact_preference": household.contact_preference,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        intake.household_contact_preference_set(household, data.pop("contact_preference"))
        repair_request = services.repair_request_submit(
            household=household, entered_by=request.user, **data
        )
        messages.success(
            request, _("Request %(number)s recorded.") % {"number": repair_request.number}
        )
        return redirect("tickets:intake_receipt", request_uuid=repair_request.uuid)
    open_requests = selectors.repair_requests_visible_to(request.user).filter(
        household=household, status__in=("REG", "BEO", "INB")
    )
    return render(
        request,
        "tickets/intake/household.html",
        {
            "household": household,
            "form": form,
            "open_requests": open_requests,
            "visit_form": VisitForm(),
        },
    )


@role_required(*DESK)
def intake_receipt(request: HttpRequest, request_uuid) -> HttpResponse:
    repair_request = selectors.repair_request_get_for(request.user, request_uuid)
    return render(request, "tickets/intake/receipt.html", {"repair_request": repair_request})


@role_required(*DESK)
@require_POST
def visit_new(request: HttpRequest) -> HttpResponse:
    household = None
    if request.POST.get("household"):
        try:
            household = intake.household_get_current(request.POST["household"])
        except ValidationError:  # not a UUID
            household = None
    form = VisitForm(request.POST)
    if form.is_valid():
        intake.visit_record(handled_by=request.user, household=household, **form.cleaned_data)
        messages.success(request, _("Visit logged."))
    else:
        messages.error(request, _("Choose the reason for the visit."))
    return redirect("tickets:visits_today")


@role_required(*DESK)
def visits_today(request: HttpRequest) -> HttpResponse:
    visits = Visit.objects.filter(visited_at__date=timezone.localdate()).select_related(
        "household__home", "handled_by"
    )
    return render(
        request, "tickets/intake/visits.html", {"visits": visits, "visit_form": VisitForm()}
    )
