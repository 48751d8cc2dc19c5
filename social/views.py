"""The social worker's case files. Other roles get 404; every read of a case is logged."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from tickets.intake import household_get_current, households_find
from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.roles import Role

from . import selectors, services
from .filters import CaseListFilter
from .forms import (
    ActionForm,
    CaseCreateForm,
    CaseEditForm,
    NoteForm,
    PartyAddForm,
    PartySearchForm,
    ReferralForm,
    RepairRequestLinkForm,
    SessionForm,
    StatusForm,
    WorkersForm,
)
from .list_cache import case_list_form_html
from .models import AccessPart, CaseAction, CaseParty, CaseStatus, SocialCase
from .tables import CaseListTable

CASE_LIST_PAGE_SIZE = 25
social_only = role_required(Role.SOCIAL, hide=True)


@social_only
def case_list(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    if not any(key in params for key in CaseListFilter.base_filters):
        params["status"] = "open"
    case_filter = CaseListFilter(params, queryset=selectors.social_case_list_queryset(request.user))
    table = CaseListTable(case_filter.qs)
    RequestConfig(request, paginate={"per_page": CASE_LIST_PAGE_SIZE}).configure(table)
    services.access_log_record(request.user, part=AccessPart.LIST, path=request.get_full_path())
    today = timezone.localdate()
    return render(
        request,
        "social/case_list.html",
        {
            "filter_form": case_list_form_html(request, case_filter),
            "table": table,
            "due_actions": list(
                selectors.open_actions_due_for(request.user, until=today + timedelta(days=7))[:20]
            ),
            "today": today,
        },
    )


@social_only
def case_create(request: HttpRequest) -> HttpResponse:
    form = CaseCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = services.case_open(
            case_type=data["case_type"],
            title=data["title"],
            intake_text=data["intake_text"],
            source=data["source"],
            created_by=request.user,
            nuisance_kind=data["nuisance_kind"],
            referrer_organisation=data["referrer_organisation"],
            referrer_email=data["referrer_email"],
            workers=[request.user] if data["assign_to_me"] else [],
        )
        messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
        return redirect("social:case_detail", case_uuid=case.uuid)
    return render(request, "social/case_create.html", {"form": form})


def _case_view(view: Callable) -> Callable:
    """Social role only; loads the case (404 when unknown or anonymised) and passes it on."""

    @social_only
    @wraps(view)
    def wrapper(request: HttpRequest, case_uuid, *args, **kwargs) -> HttpResponse:
        case = selectors.social_case_get_for(request.user, case_uuid)
        return view(request, case, *args, **kwargs)

    return wrapper


def _back(case: SocialCase, anchor: str = "") -> HttpResponse:
    response = redirect("social:case_detail", case_uuid=case.uuid)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _render_case(
    request: HttpRequest, case: SocialCase, status: int = 200, **forms
) -> HttpResponse:
    services.access_log_record(
        request.user, part=AccessPart.CASE, case=case, path=request.get_full_path()
    )
    search_form = PartySearchForm(request.GET or None)
    party_matches = []
    if search_form.is_valid() and search_form.cleaned_data["party_q"]:
        party_matches = list(households_find(search_form.cleaned_data["party_q"]))
    case_file = selectors.case_file(case)
    team = list(selectors.social_workers())
    forms = {
        "edit_form": forms.get("edit_form")
        or CaseEditForm(
            initial={
                "version": case.version,
                "case_type": case.case_type,
                "title": case.title,
                "nuisance_kind": case.nuisance_kind,
                "intake_text": case.intake_text,
                "mediation_unsuitable_reason": case.mediation_unsuitable_reason,
                "referrer_organisation": case.referrer_organisation,
                "referrer_email": case.referrer_email,
            }
        ),
        "status_form": forms.get("status_form")
        or StatusForm(initial={"version": case.version, "status": case.status}),
        "workers_form": forms.get("workers_form")
        or WorkersForm(initial={"workers": [worker.pk for worker in case_file["workers"]]}),
        "party_form": forms.get("party_form") or PartyAddForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        "action_form": forms.get("action_form") or ActionForm(),
        "session_form": forms.get("session_form") or SessionForm(case=case),
        "referral_form": forms.get("referral_form") or ReferralForm(case=case),
        "link_form": forms.get("link_form") or RepairRequestLinkForm(),
    }
    # The choices come from what this page fetched already, so the forms add no queries of their own.
    worker_choices = [(worker.pk, worker.get_full_name() or worker.email) for worker in team]
    party_choices = [(party.pk, party.label) for party in case_file["parties"]]
    forms["workers_form"].fields["workers"].choices = worker_choices
    forms["action_form"].fields["assigned_to"].choices = [("", _("Anyone")), *worker_choices]
    forms["session_form"].fields["participants"].choices = party_choices
    forms["referral_form"].fields["party"].choices = [("", "—"), *party_choices]
    context = {
        "case": case,
        **case_file,
        **forms,
        "today": timezone.localdate(),
        "party_search_form": search_form,
        "party_matches": party_matches,
        "CaseStatus": CaseStatus,
    }
    return render(request, "social/case_detail.html", context, status=status)


@_case_view
def case_detail(request: HttpRequest, case: SocialCase) -> HttpResponse:
    return _render_case(request, case)


def _form_post(
    form_name: str, anchor: str, apply: Callable[[HttpRequest, SocialCase, dict], str]
) -> Callable:
    """A POST on one part of the case page: valid → the service, then back; invalid → the page with errors.

    A rule the service refuses is shown as a form error; nothing changes.
    """

    def view(request: HttpRequest, case: SocialCase, form) -> HttpResponse:
        if form.is_valid():
            try:
                message = apply(request, case, form.cleaned_data)
            except services.StaleCaseError as error:
                messages.error(request, error.message)
                return _back(case, anchor)
            except services.CaseError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, message)
                return _back(case, anchor)
        return _render_case(request, case, status=400, **{form_name: form})

    return view


@_case_view
@require_POST
def case_edit(request: HttpRequest, case: SocialCase) -> HttpResponse:
    def apply(request, case, data):
        services.case_update(case, **data)
        return _("Case saved.")

    return _form_post("edit_form", "case", apply)(request, case, CaseEditForm(request.POST))


@_case_view
@require_POST
def case_status(request: HttpRequest, case: SocialCase) -> HttpResponse:
    def apply(request, case, data):
        case = services.case_status_change(case, actor=request.user, **data)
        return _("Status is now “%(status)s”.") % {"status": case.get_status_display()}

    return _form_post("status_form", "status", apply)(request, case, StatusForm(request.POST))


@_case_view
@require_POST
def case_workers(request: HttpRequest, case: SocialCase) -> HttpResponse:
    def apply(request, case, data):
        services.case_workers_set(case, list(data["workers"]))
        return _("Social workers saved.")

    return _form_post("workers_form", "workers", apply)(request, case, WorkersForm(request.POST))


@_case_view
@require_POST
def party_add(request: HttpRequest, case: SocialCase) -> HttpResponse:
    def apply(request, case, data):
        household = None
        if data["household"]:
            household = household_get_current(data["household"])
            if household is None:
                raise services.CaseError(_("This household no longer lives in one of our homes."))
        party = services.case_party_add(
            case,
            role=data["role"],
            household=household,
            description=data["description"],
            may_be_contacted=data["may_be_contacted"],
            contact_phone=data["contact_phone"],
        )
        return _("%(party)s added to the case.") % {"party": party.label}

    return _form_post("party_form", "parties", apply)(request, case, PartyAddForm(request.POST))


def _party_of(case: SocialCase, party_id: int) -> CaseParty:
    return get_object_or_404(
        CaseParty.objects.select_related("household__home", "home", "case"), pk=party_id, case=case
    )


@_case_view
@require_POST
def party_remove(request: HttpRequest, case: SocialCase, party_id: int) -> HttpResponse:
    party = _party_of(case, party_id)
    try:
        services.case_party_remove(party)
    except services.CaseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Party removed from the case."))
    return _back(case, "parties")


@_case_view
@require_POST
def party_invite(request: HttpRequest, case: SocialCase, party_id: int) -> HttpResponse:
    party = _party_of(case, party_id)
    try:
        services.case_party_invite(party, actor=request.user)
    except services.CaseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation was sent."))
    return _back(case, "parties")


@_case_view
@require_POST
def note_add(request: HttpRequest, case: SocialCase) -> HttpResponse:
    def apply(request, case, data):
        services.case_note_add(case, text=data["text"], kind=data["kind"], author=request.user)
        return _("Note saved.")

    return _form_post("note_form", "notes", apply)(request, case, NoteForm(request.POST))


@_case_view
@require_POST
def action_add(request: HttpRequest, case: SocialCase) -> HttpResponse:
    def apply(request, case, data):
        services.case_action_add(case, **data)
        return _("Action planned.")

    return _form_post("action_form", "actions", apply)(request, case, ActionForm(request.POST))


@_case_view
@require_POST
def action_done(request: HttpRequest, case: SocialCase, action_id: int) -> HttpResponse:
    action = get_object_or_404(CaseAction, pk=action_id, case=case)
    try:
        services.case_action_complete(action, actor=request.user)
    except services.CaseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Action done."))
    return _back(case, "actions")


@_case_view
@require_POST
def session_add(request: HttpRequest, case: SocialCase) -> HttpResponse:
    def apply(request, case, data):
        services.mediation_session_record(
            case,
            kind=data["kind"],
            held_on=data["held_on"],
            participants=list(data["participants"]),
            other_participants=data["other_participants"],
            agreements=data["agreements"],
            actor=request.user,
        )
        return _("Session recorded.")

    return _form_post("session_form", "sessions", apply)(
        request, case, SessionForm(request.POST, case=case)
    )


@_case_view
@require_POST
def referral_add(request: HttpRequest, case: SocialCase) -> HttpResponse:
    def apply(request, case, data):
        services.case_referral_add(case, actor=request.user, **data)
        return _("Referral recorded.")

    return _form_post("referral_form", "referrals", apply)(
        request, case, ReferralForm(request.POST, case=case)
    )


@_case_view
@require_POST
def repair_request_link(request: HttpRequest, case: SocialCase) -> HttpResponse:
    def apply(request, case, data):
        repair_request = services.case_repair_request_link(case, data["number"])
        return _("Repair request %(number)s linked.") % {"number": repair_request.number}

    return _form_post("link_form", "repair-requests", apply)(
        request, case, RepairRequestLinkForm(request.POST)
    )


@_case_view
@require_POST
def repair_request_unlink(request: HttpRequest, case: SocialCase, request_id: int) -> HttpResponse:
    repair_request = case.repair_requests.filter(pk=request_id).first()
    if repair_request is None:
        raise Http404
    services.case_repair_request_unlink(case, repair_request)
    messages.success(request, _("Link removed."))
    return _back(case, "repair-requests")
