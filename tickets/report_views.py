"""The reparatiewijzer: a tenant picks the trade, then the defect, gets advice, and reports."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.roles import Role

from . import selectors, services, tracking
from .constants import Channel, Responsibility, Urgency
from .forms import RepairRequestForm
from .photo_drafts import (
    draft_thumbnail_path,
    draft_tokens,
    drafts_discard,
    drafts_load,
    drafts_save,
)
from .photo_services import photos_store


def _household_or_redirect(request):
    household = selectors.household_current_for(request.user)
    if household is None:
        messages.error(
            request,
            _("We could not find a current tenancy for your account. Please call the office."),
        )
    return household


@role_required(Role.TENANT)
def report_start(request):
    household = _household_or_redirect(request)
    if household is None:
        return redirect("tickets:my_requests")
    trades = selectors.trades_for_reporting()
    return render(request, "tickets/report_start.html", {"trades": trades, "household": household})


@role_required(Role.TENANT)
def report_trade(request, trade_code):
    trade = next(
        (trade for trade in selectors.trades_for_reporting() if trade.code == trade_code), None
    )
    if trade is None:
        raise Http404
    return render(request, "tickets/report_trade.html", {"trade": trade})


@role_required(Role.TENANT)
@require_http_methods(["GET", "POST"])
def report_defect(request, trade_code, defect_code):
    household = _household_or_redirect(request)
    if household is None:
        return redirect("tickets:my_requests")
    category = selectors.defect_get(trade_code, defect_code)
    responsibility = selectors.responsibility_for(category, timezone.localdate())
    own_job = responsibility == Responsibility.TENANT and not household.has_service_subscription
    is_emergency = category.default_urgency == Urgency.EMERGENCY
    if is_emergency and request.method == "GET" and "doorgaan" not in request.GET:
        return render(request, "tickets/report_emergency.html", {"category": category})
    kept_tokens = [
        token
        for token in request.POST.getlist("kept_photos")
        if token in draft_tokens(request.session)
    ]
    form = RepairRequestForm(
        request.POST or None,
        request.FILES or None,
        shared_area=category.is_shared_area,
        needs_reason=own_job,
        kept_photos=len(kept_tokens),
        initial={"contact_phone": household.phone or request.user.phone},
    )
    if request.method == "POST":
        # Drafts the tenant unticked are dropped; the rest stay until the form is sent.
        drafts_discard(
            request.session, [t for t in draft_tokens(request.session) if t not in kept_tokens]
        )
    if request.method == "POST" and form.is_valid():
        photos = [*drafts_load(request.session, kept_tokens), *form.cleaned_data.pop("photos")]
        repair_request = services.repair_request_submit(
            household=household,
            reporter=request.user,
            channel=Channel.WEB,
            category=category,
            **form.cleaned_data,
        )
        if photos:
            photos_store(repair_request=repair_request, processed=photos, uploaded_by=request.user)
        drafts_discard(request.session)
        messages.success(
            request,
            _("Thank you. Your request has number %(number)s.") % {"number": repair_request.number},
        )
        return redirect("tickets:request_detail", request_uuid=repair_request.uuid)
    if request.method == "POST" and "photos" in form.cleaned_data and form.cleaned_data["photos"]:
        kept_tokens += drafts_save(request.session, form.cleaned_data["photos"])
    existing = (
        selectors.open_shared_area_requests(household.home.building_id, category)
        if category.is_shared_area
        else []
    )
    return render(
        request,
        "tickets/report_defect.html",
        {
            "category": category,
            "form": form,
            "household": household,
            "own_job": own_job,
            "subscription": responsibility == Responsibility.TENANT
            and household.has_service_subscription,
            "corporation": responsibility == Responsibility.CORPORATION,
            "is_emergency": is_emergency,
            "existing_reports": existing,
            "kept_photos": kept_tokens if request.method == "POST" else [],
        },
    )


@role_required(Role.TENANT)
@require_POST
def report_affects_me_too(request, request_uuid):
    """Join a neighbour's open report of a shared-area defect in the tenant's own building."""
    household = _household_or_redirect(request)
    if household is None:
        return redirect("tickets:my_requests")
    repair_request = selectors.shared_area_request_in_building(
        household.home.building_id, request_uuid
    )
    try:
        tracking.repair_request_add_affected(
            repair_request=repair_request, household=household, user=request.user
        )
    except tracking.ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("tickets:request_new")
    messages.success(
        request, _("Thank you. We added that this affects you too; you can follow it here.")
    )
    return redirect("tickets:request_detail", request_uuid=repair_request.uuid)


@role_required(Role.TENANT)
def photo_draft_thumbnail(request, token):
    """A thumbnail of a photo this session uploaded with a form that still had an error."""
    path = draft_thumbnail_path(request.session, token)
    if path is None or not default_storage.exists(path):
        raise Http404
    response = FileResponse(default_storage.open(path), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
