from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.roles import Role

from . import notifications, selectors, services
from .constants import ACTIVE_WORK_ORDER_STATUSES
from .forms import AppointmentForm, WorkOrderCompleteForm

WORK_ORDER_SESSION_KEY = "work_order_scope"


@role_required(Role.TENANT)
def my_requests(request):
    household = selectors.household_current_for(request.user)
    repair_requests = selectors.repair_requests_visible_to(request.user)
    return render(
        request,
        "tickets/my_requests.html",
        {"household": household, "repair_requests": repair_requests},
    )


@role_required(Role.DESK, Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def desk_call_list(request):
    if request.method == "POST":
        entry_id = request.POST.get("entry", "")
        if entry_id.isdigit() and notifications.call_list_entry_done(
            entry_id=int(entry_id), user=request.user
        ):
            messages.success(request, _("Marked as passed on."))
        return redirect("tickets:desk_call_list")
    return render(request, "tickets/desk_call_list.html", {"entries": selectors.call_list_open()})


@role_required(Role.CONTRACTOR)
def contractor_orders(request):
    work_orders = selectors.work_orders_visible_to(request.user)
    return render(request, "tickets/contractor_orders.html", {"work_orders": work_orders})


def work_order_link(request, token):
    """Exchange the e-mailed token for a session scoped to that one order, so it leaves the URL at once."""
    work_order, expired = selectors.work_order_by_token(token)
    if work_order is None:
        return render(request, "tickets/work_order_link_invalid.html", status=404)
    if expired:
        return render(
            request, "tickets/work_order_link_expired.html", {"work_order": work_order}, status=410
        )
    scope = request.session.get(WORK_ORDER_SESSION_KEY, [])
    if str(work_order.uuid) not in scope:
        request.session[WORK_ORDER_SESSION_KEY] = [*scope, str(work_order.uuid)][-20:]
    return redirect("tickets:work_order_detail", work_order_uuid=work_order.uuid)


@require_http_methods(["GET", "POST"])
def work_order_detail(request, work_order_uuid):
    work_order = selectors.work_order_get_for(
        request.user, work_order_uuid, request.session.get(WORK_ORDER_SESSION_KEY, [])
    )
    is_open = work_order.status in ACTIVE_WORK_ORDER_STATUSES
    action = request.POST.get("action") if request.method == "POST" else None
    actor = request.user if request.user.is_authenticated else None
    complete_form = (
        WorkOrderCompleteForm(request.POST if action == "complete" else None) if is_open else None
    )
    appointment_form = (
        AppointmentForm(request.POST if action == "plan" else None) if is_open else None
    )
    if action == "complete" and complete_form is not None and complete_form.is_valid():
        services.work_order_complete(
            work_order=work_order,
            total_cost=complete_form.cleaned_data["total_cost"],
            hours=complete_form.cleaned_data["hours"],
            notes=complete_form.cleaned_data["notes"],
            actor=actor,
        )
        messages.success(request, _("Thank you. The work order is marked as done."))
        return redirect("tickets:work_order_detail", work_order_uuid=work_order.uuid)
    if action == "plan" and appointment_form is not None and appointment_form.is_valid():
        start, end = appointment_form.moments()
        services.work_order_plan(work_order=work_order, start=start, end=end, actor=actor)
        messages.success(request, _("The appointment is saved; the tenant is told."))
        return redirect("tickets:work_order_detail", work_order_uuid=work_order.uuid)
    household = work_order.request.household if is_open else None
    return render(
        request,
        "tickets/work_order_detail.html",
        {
            "work_order": work_order,
            "form": complete_form,
            "appointment_form": appointment_form,
            "is_open": is_open,
            "household": household,
        },
        status=400 if action and request.method == "POST" else 200,
    )
