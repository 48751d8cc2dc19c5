from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.roles import Role

from . import notifications, selectors, services, work_orders
from .constants import ACTIVE_WORK_ORDER_STATUSES, WorkOrderStatus
from .forms import AcceptForm, AppointmentForm, AttemptForm, DeclineForm, WorkOrderCompleteForm
from .photo_services import photos_store

WORK_ORDER_SESSION_KEY = "work_order_scope"
CONTRACTOR_ORDERS_PAGE_SIZE = 25


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
    """Open orders first (what to do next); finished ones on their own tab. Paginated: a large contractor
    has thousands of orders over the years."""
    show_done = request.GET.get("show") == "done"
    work_orders = selectors.contractor_work_orders(request.user, done=show_done)
    page = Paginator(work_orders, CONTRACTOR_ORDERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tickets/contractor_orders.html",
        {"page": page, "work_orders": page.object_list, "show_done": show_done},
    )


@require_http_methods(["POST"])
def work_order_link_renew(request, token):
    """An expired link can ask for a new one; it goes to the contractor's registered address only."""
    work_order, expired = selectors.work_order_by_token(token)
    if work_order is None or not expired:
        return render(request, "tickets/work_order_link_invalid.html", status=404)
    work_orders.work_order_send_new_link(work_order)
    # The same answer whether or not a mail went out (a recent one is not repeated): nothing to probe.
    return render(request, "tickets/work_order_link_renewed.html", {"work_order": work_order})


def work_order_link(request, token):
    """Exchange the e-mailed token for a session scoped to that one order, so it leaves the URL at once."""
    work_order, expired = selectors.work_order_by_token(token)
    if work_order is None:
        return render(request, "tickets/work_order_link_invalid.html", status=404)
    if expired:
        return render(
            request,
            "tickets/work_order_link_expired.html",
            {"work_order": work_order, "token": token},
            status=410,
        )
    scope = request.session.get(WORK_ORDER_SESSION_KEY, [])
    if str(work_order.uuid) not in scope:
        request.session[WORK_ORDER_SESSION_KEY] = [*scope, str(work_order.uuid)][-20:]
    return redirect("tickets:work_order_detail", work_order_uuid=work_order.uuid)


def _complete(work_order, actor, data):
    if data["photos"]:
        photos_store(repair_request=work_order.request, processed=data["photos"], uploaded_by=actor)
    services.work_order_complete(
        work_order=work_order,
        total_cost=data["total_cost"],
        hours=data["hours"],
        notes=data["notes"],
        cause_found=data["cause_found"],
        materials=data["materials"],
        actor=actor,
    )


def _plan(work_order, actor, data):
    start, end = data["moments"]
    services.work_order_plan(work_order=work_order, start=start, end=end, actor=actor)


# action → (form, the statuses it is offered in, what it does, the thanks)
CONTRACTOR_ACTIONS = {
    "accept": (
        AcceptForm,
        (WorkOrderStatus.REGISTERED,),
        lambda order, actor, data: work_orders.work_order_accept(
            work_order=order, actor=actor, estimate=data["estimate"]
        ),
        gettext_lazy("You accepted the work order. Plan the appointment with the tenant."),
    ),
    "decline": (
        DeclineForm,
        (WorkOrderStatus.REGISTERED,),
        lambda order, actor, data: work_orders.work_order_decline(
            work_order=order, actor=actor, reason=data["reason"]
        ),
        gettext_lazy("You declined the work order; the office asks another contractor."),
    ),
    "plan": (
        AppointmentForm,
        (WorkOrderStatus.AWARDED, WorkOrderStatus.PLANNED),
        _plan,
        gettext_lazy("The appointment is saved; the tenant is told."),
    ),
    "attempt": (
        AttemptForm,
        (WorkOrderStatus.AWARDED, WorkOrderStatus.PLANNED),
        lambda order, actor, data: work_orders.work_order_attempt_record(
            work_order=order, actor=actor, outcome=data["outcome"], notes=data["notes"]
        ),
        gettext_lazy("Recorded. Make a new appointment with the tenant."),
    ),
    "complete": (
        WorkOrderCompleteForm,
        (WorkOrderStatus.AWARDED, WorkOrderStatus.PLANNED, WorkOrderStatus.IN_PROGRESS),
        _complete,
        gettext_lazy("Thank you. The work order is marked as done."),
    ),
}


def _contractor_form(form_class, request, work_order):
    if form_class is WorkOrderCompleteForm:
        bound = (request.POST, request.FILES) if request else ()
        return WorkOrderCompleteForm(*bound, existing_photos=work_order.request.photos.count())
    return form_class(request.POST if request else None)


@require_http_methods(["GET", "POST"])
def work_order_detail(request, work_order_uuid):
    work_order = selectors.work_order_get_for(
        request.user, work_order_uuid, request.session.get(WORK_ORDER_SESSION_KEY, [])
    )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    actor = request.user if request.user.is_authenticated else None
    forms = {
        name: _contractor_form(form_class, request if name == action else None, work_order)
        for name, (form_class, statuses, _perform, _thanks) in CONTRACTOR_ACTIONS.items()
        if work_order.status in statuses
    }
    if action and action not in forms:
        messages.error(request, _("This is not possible for the work order in its current state."))
        return redirect("tickets:work_order_detail", work_order_uuid=work_order.uuid)
    if action and forms[action].is_valid():
        _form_class, _statuses, perform, thanks = CONTRACTOR_ACTIONS[action]
        data = dict(forms[action].cleaned_data)
        if action == "plan":
            data["moments"] = forms[action].moments()
        try:
            perform(work_order, actor, data)
        except work_orders.WorkOrderRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, thanks)
        return redirect("tickets:work_order_detail", work_order_uuid=work_order.uuid)
    is_open = work_order.status in ACTIVE_WORK_ORDER_STATUSES
    return render(
        request,
        "tickets/work_order_detail.html",
        {
            "work_order": work_order,
            "forms": forms,
            "is_open": is_open,
            "household": work_order.request.household if is_open else None,
            "attempts": work_order.attempts.all(),
        },
        status=400 if action else 200,
    )
