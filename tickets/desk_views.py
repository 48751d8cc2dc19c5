"""The neighbourhood office's desk: the triage queue and the triage of one request."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_tables2 import RequestConfig

from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.roles import Role
from zelfbeheer.versioned_cache import query_key

from . import selectors, sla, triage, work_orders
from .constants import PauseReason, Responsibility, SlaState
from .desk_forms import (
    BulkActionForm,
    ForwardForm,
    MergeForm,
    OwnJobForm,
    SaveFilterForm,
    TriageForm,
)
from .filters import DeskQueueFilter
from .models import Referral, RepairRequest, SavedQueueFilter
from .queue_cache import DESK_QUEUE
from .signals_planned import repeated_defects
from .sla import office_settings_get
from .tables import DeskQueueTable

DESK = (Role.DESK, Role.COORDINATOR)
QUEUE_PAGE_SIZE = 25


def _queue_table_html(request: HttpRequest, queue_filter: DeskQueueFilter) -> str:
    table = DeskQueueTable(queue_filter.qs)
    RequestConfig(request, paginate={"per_page": QUEUE_PAGE_SIZE}).configure(table)
    return table.as_html(request)


def _call_now_html() -> str:
    return render_to_string(
        "tickets/desk_call_now.html", {"emergencies": selectors.emergencies_to_call()}
    )


def _queue_forms_html(request: HttpRequest, queue_filter: DeskQueueFilter) -> dict[str, str]:
    """The page's form fields (its CSRF tokens stay outside): a dozen fields through Django's form
    templates, and a thousand buildings, cost more than the rest of the page."""
    bulk_form = BulkActionForm()
    return {
        "filter": str(queue_filter.form),
        "bulk": bulk_form["action"].as_field_group() + bulk_form["urgency"].as_field_group(),
        "save_filter": str(SaveFilterForm(initial={"query": request.GET.urlencode()})),
    }


@role_required(*DESK)
def desk_queue(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    if not any(key in params for key in DeskQueueFilter.base_filters):
        params["preset"] = "all_open"
    queue_filter = DeskQueueFilter(params, queryset=selectors.desk_queue_rows())
    language = get_language()
    query = query_key(request.GET)
    # The same table for the page and its 30-second refresh: desk.js marks what came in since.
    table_html = DESK_QUEUE.get_or_make(
        ("table", language, query), lambda: _queue_table_html(request, queue_filter)
    )
    context = {
        "table_html": table_html,
        "refresh_url": request.get_full_path(),
        "shown_at": timezone.now().isoformat(timespec="milliseconds"),
    }
    if request.htmx:
        # The 30-second refresh swaps only the table: nothing else is read.
        return render(request, "tickets/desk_queue.html#queue", context)
    context |= {
        "forms": DESK_QUEUE.get_or_make(
            ("forms", language, query), lambda: _queue_forms_html(request, queue_filter)
        ),
        "saved_filters": SavedQueueFilter.objects.filter(user=request.user),
        "current_query": request.GET.urlencode(),
        "filters_active": any(
            key in request.GET for key in DeskQueueFilter.base_filters if key != "preset"
        ),
        "sla_counts": DESK_QUEUE.get_or_make(("sla-counts",), selectors.desk_sla_counts),
        "call_now": DESK_QUEUE.get_or_make(("call-now", language), _call_now_html),
        "SlaState": SlaState,
    }
    return render(request, "tickets/desk_queue.html", context)


def _back_to_queue(request: HttpRequest) -> HttpResponse:
    query = request.POST.get("query", "")
    target = f"{reverse('tickets:desk_queue')}?{query}" if query else reverse("tickets:desk_queue")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("tickets:desk_queue")
    return redirect(target)


@role_required(*DESK)
@require_POST
def desk_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_queue(request)
    selected = list(form.cleaned_data["selection"].order_by("created_at"))
    action = form.cleaned_data["action"]
    done = 0
    try:
        if action == "urgency":
            done = triage.repair_requests_set_urgency(
                repair_requests=selected, urgency=form.cleaned_data["urgency"], actor=request.user
            )
        elif action == "merge":
            done = triage.repair_requests_merge(
                into=selected[0], duplicates=selected[1:], actor=request.user
            )
        else:
            for repair_request in selected:
                try:
                    if action == "route":
                        triage.repair_request_route_now(
                            repair_request=repair_request, actor=request.user
                        )
                    else:
                        triage.repair_request_forward_to_corporation(
                            repair_request=repair_request, actor=request.user
                        )
                    done += 1
                except triage.TriageRefused as refusal:
                    messages.warning(request, str(refusal))
    except triage.TriageRefused as refusal:
        messages.error(request, str(refusal))
        return _back_to_queue(request)
    messages.success(
        request,
        _("Done for %(count)s of %(total)s requests.") % {"count": done, "total": len(selected)},
    )
    return _back_to_queue(request)


@role_required(*DESK)
@require_POST
def desk_save_filter(request: HttpRequest) -> HttpResponse:
    form = SaveFilterForm(request.POST)
    if form.is_valid():
        SavedQueueFilter.objects.update_or_create(
            user=request.user,
            name=form.cleaned_data["name"],
            defaults={"query": form.cleaned_data["query"]},
        )
        messages.success(request, _("View saved."))
    else:
        messages.error(request, _("Give the view a name."))
    return _back_to_queue(request)


def _desk_request(request: HttpRequest, request_uuid) -> RepairRequest:
    found = selectors.desk_queue_queryset().filter(uuid=request_uuid).first()
    if found is None:
        raise Http404
    return found


def _triage_context(repair_request: RepairRequest, **forms) -> dict:
    version = repair_request.version
    matrix_responsibility = selectors.responsibility_for(
        repair_request.category, timezone.localdate(repair_request.created_at)
    )
    return {
        "repair_request": repair_request,
        "matrix_responsibility_label": Responsibility(matrix_responsibility).label,
        "events": repair_request.events.select_related("actor").order_by("created_at", "pk"),
        "photos": repair_request.photos.all(),
        "work_order": selectors.repair_request_current_work_order(repair_request),
        "cancellable_statuses": work_orders.CANCELLABLE_WORK_ORDER_STATUSES,
        "triage_form": forms.get("triage_form")
        or TriageForm(
            initial={
                "version": version,
                "category": repair_request.category_id,
                "urgency": repair_request.urgency,
                "responsibility": repair_request.responsibility,
            }
        ),
        "own_job_form": forms.get("own_job_form") or OwnJobForm(initial={"version": version}),
        "forward_form": forms.get("forward_form") or ForwardForm(initial={"version": version}),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "pause_reasons": PauseReason.choices,
    }


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def desk_triage(request: HttpRequest, request_uuid) -> HttpResponse:
    repair_request = _desk_request(request, request_uuid)
    if request.method == "GET":
        return render(request, "tickets/desk_triage.html", _triage_context(repair_request))
    outcome = request.POST.get("outcome", "")
    form_class, form_name = {
        "save": (TriageForm, "triage_form"),
        "save_route": (TriageForm, "triage_form"),
        "save_next": (TriageForm, "triage_form"),
        "own_job": (OwnJobForm, "own_job_form"),
        "forward": (ForwardForm, "forward_form"),
        "merge": (MergeForm, "merge_form"),
    }.get(outcome, (None, ""))
    if form_class is None:
        messages.error(request, _("Choose what to do with the request."))
        return redirect("tickets:desk_triage", request_uuid=repair_request.uuid)
    form = form_class(request.POST)
    if not form.is_valid():
        return render(
            request,
            "tickets/desk_triage.html",
            _triage_context(repair_request, **{form_name: form}),
            status=400,
        )
    data = form.cleaned_data
    try:
        if form_class is TriageForm:
            updated = triage.repair_request_triage(
                repair_request=repair_request,
                actor=request.user,
                expected_version=data["version"],
                category=data["category"],
                urgency=data["urgency"],
                responsibility=data["responsibility"],
                override_reason=data["override_reason"],
                internal_note=data["internal_note"],
                public_message=data["public_message"],
            )
            if outcome == "save_route":
                triage.repair_request_route_now(repair_request=updated, actor=request.user)
        elif outcome == "own_job":
            triage.repair_request_explain_own_job(
                repair_request=repair_request,
                actor=request.user,
                advice=data["advice"],
                expected_version=data["version"],
            )
        elif outcome == "forward":
            triage.repair_request_forward_to_corporation(
                repair_request=repair_request,
                actor=request.user,
                summary=data["summary"],
                expected_version=data["version"],
            )
        else:
            triage.repair_requests_merge(
                into=data["into_number"], duplicates=[repair_request], actor=request.user
            )
    except triage.TriageRefused as refusal:
        messages.error(request, str(refusal))
        repair_request.refresh_from_db()
        return render(
            request, "tickets/desk_triage.html", _triage_context(repair_request), status=409
        )
    messages.success(request, _("Request %(number)s saved.") % {"number": repair_request.number})
    if outcome == "save_next":
        following = selectors.desk_next_request(after=repair_request)
        if following is not None:
            return redirect("tickets:desk_triage", request_uuid=following.uuid)
        return redirect("tickets:desk_queue")
    return redirect("tickets:desk_triage", request_uuid=repair_request.uuid)


@role_required(*DESK)
def desk_signals(request: HttpRequest) -> HttpResponse:
    """Repeated defects, for the corporation's planned maintenance; one click forwards the latest request."""
    return render(
        request,
        "tickets/desk_signals.html",
        {"signals": repeated_defects(), "settings": office_settings_get()},
    )


@role_required(*DESK)
@require_POST
def desk_sla_pause(request: HttpRequest, request_uuid) -> HttpResponse:
    repair_request = _desk_request(request, request_uuid)
    reason = request.POST.get("reason", "")
    if reason not in PauseReason.values:
        messages.error(request, _("Choose why the clock waits."))
        return redirect("tickets:desk_triage", request_uuid=repair_request.uuid)
    try:
        sla.sla_pause(repair_request=repair_request, reason=reason, actor=request.user)
    except sla.SlaClockRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("tickets:desk_triage", request_uuid=repair_request.uuid)


@role_required(*DESK)
@require_POST
def desk_sla_resume(request: HttpRequest, request_uuid) -> HttpResponse:
    repair_request = _desk_request(request, request_uuid)
    try:
        sla.sla_resume(repair_request=repair_request, actor=request.user)
    except sla.SlaClockRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("tickets:desk_triage", request_uuid=repair_request.uuid)


@role_required(*DESK)
@require_POST
def desk_work_order_cancel(request: HttpRequest, request_uuid) -> HttpResponse:
    """Withdraw the current work order (not carried out); its commitment leaves the budget."""
    repair_request = _desk_request(request, request_uuid)
    work_order = selectors.repair_request_current_work_order(repair_request)
    if work_order is None:
        messages.error(request, _("This request has no work order to cancel."))
        return redirect("tickets:desk_triage", request_uuid=repair_request.uuid)
    try:
        work_orders.work_order_cancel(
            work_order=work_order, reason=request.POST.get("reason", ""), actor=request.user
        )
    except work_orders.WorkOrderRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _(
                "The work order for %(contractor)s was cancelled; route the request again or close it."
            )
            % {"contractor": work_order.contractor.name},
        )
    return redirect("tickets:desk_triage", request_uuid=repair_request.uuid)


@role_required(Role.DESK, Role.COORDINATOR, Role.CORPORATION)
@require_http_methods(["GET", "POST"])
def referrals(request: HttpRequest) -> HttpResponse:
    """What was passed on to Bo-Ex; Bo-Ex (or the desk, after a phone call) records that it arrived."""
    if request.method == "POST":
        referral_id = request.POST.get("referral", "")
        referral = (
            Referral.objects.filter(pk=int(referral_id)).first() if referral_id.isdigit() else None
        )
        if referral is None:
            messages.error(request, _("That referral does not exist."))
        else:
            triage.referral_acknowledge(referral=referral, actor=request.user)
            messages.success(request, _("Marked as received by Bo-Ex."))
        return redirect("tickets:referrals")
    return render(request, "tickets/referrals.html", {"referrals": selectors.referrals_recent()})
