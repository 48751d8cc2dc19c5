"""A tenant follows a request: the timeline, the appointment, and what they can still do with it."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_POST

from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.roles import Role, has_role

from . import selectors, tracking
from .calendar import appointment_ics
from .forms import AddInfoForm, RatingForm, ReopenForm

FOLLOWERS = (Role.TENANT, Role.DESK, Role.COORDINATOR)


def _detail_context(request, repair_request, **forms) -> dict:
    work_order = selectors.repair_request_current_work_order(repair_request)
    return {
        "repair_request": repair_request,
        "events": selectors.repair_request_public_events(repair_request),
        "photos": repair_request.photos.all(),
        "work_order": work_order,
        "has_appointment": bool(work_order and work_order.appointment_start),
        "can_cancel": tracking.can_cancel(repair_request),
        "can_reopen": tracking.can_reopen(repair_request),
        "can_rate": tracking.can_rate(repair_request),
        "rating": getattr(repair_request, "rating", None),
        "add_info_form": forms.get("add_info_form") or AddInfoForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "is_tenant": has_role(request.user, Role.TENANT),
    }


@role_required(*FOLLOWERS)
def request_detail(request, request_uuid):
    repair_request = selectors.repair_request_get_for(request.user, request_uuid)
    return render(request, "tickets/request_detail.html", _detail_context(request, repair_request))


@dataclass(frozen=True)
class TenantAction:
    """One thing a tenant can do on the detail page: its form (if any), the service, and the thanks."""

    form_class: type[forms.Form] | None
    form_name: str
    perform: Callable[..., object]
    success_message: Promise


TENANT_ACTIONS = {
    "add_info": TenantAction(
        AddInfoForm,
        "add_info_form",
        lambda repair_request, user, data: tracking.repair_request_add_info(
            repair_request=repair_request, user=user, message=data["message"], photos=data["photos"]
        ),
        gettext_lazy("Thank you, we added your information."),
    ),
    "cancel": TenantAction(
        None,
        "",
        lambda repair_request, user, data: tracking.repair_request_cancel(
            repair_request=repair_request, user=user
        ),
        gettext_lazy("Your request has been cancelled."),
    ),
    "reopen": TenantAction(
        ReopenForm,
        "reopen_form",
        lambda repair_request, user, data: tracking.repair_request_reopen(
            repair_request=repair_request, user=user, reason=data["reason"]
        ),
        gettext_lazy("We reopened your request and will send someone again."),
    ),
    "rate": TenantAction(
        RatingForm,
        "rating_form",
        lambda repair_request, user, data: tracking.repair_request_rate(
            repair_request=repair_request, user=user, score=data["score"], comment=data["comment"]
        ),
        gettext_lazy("Thank you for your rating."),
    ),
}


@role_required(Role.TENANT)
@require_POST
def request_action(request, request_uuid, action):
    """Run one tenant action; refused or invalid input shows the page again with the reason, changing nothing."""
    tenant_action = TENANT_ACTIONS[action]
    repair_request = selectors.repair_request_get_for(request.user, request_uuid)
    form = None
    if tenant_action.form_class is AddInfoForm:
        form = AddInfoForm(
            request.POST, request.FILES, existing_photos=repair_request.photos.count()
        )
    elif tenant_action.form_class is not None:
        form = tenant_action.form_class(request.POST)
    if form is not None and not form.is_valid():
        context = _detail_context(request, repair_request, **{tenant_action.form_name: form})
        return render(request, "tickets/request_detail.html", context, status=400)
    try:
        tenant_action.perform(repair_request, request.user, form.cleaned_data if form else {})
    except tracking.ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, tenant_action.success_message)
    return redirect("tickets:request_detail", request_uuid=repair_request.uuid)


@role_required(*FOLLOWERS)
def request_calendar(request, request_uuid):
    repair_request = selectors.repair_request_get_for(request.user, request_uuid)
    work_order = selectors.repair_request_current_work_order(repair_request)
    if work_order is None or work_order.appointment_start is None:
        raise Http404
    response = HttpResponse(
        appointment_ics(work_order, get_language()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="afspraak-{repair_request.number}.ics"'
    return response
