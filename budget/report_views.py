"""The monthly reports page: every version of every month, its files, and the steps draft → final → sent.

Board, coordinator and Bo-Ex (corporation) read and download. Board and coordinator have a month generated
and queue a failed sending again; only a board member makes a version final, which sends it. Bo-Ex sees no
forms and gets 404 on a POST; every other role gets 404, so the URLs do not even confirm the pages exist.
"""

from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tickets.sla import office_settings_get
from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.roles import Role, has_role
from zelfbeheer.queue import enqueue

from . import selectors
from .exports import CONTENT_TYPES
from .models import MonthlyReport, ReportStatus
from .monthly_reports import monthly_report_finalise, monthly_report_send_again, report_recipients
from .report import previous_month
from .selectors import FINANCE_ROLES
from .services import BudgetError
from .tasks import generate_monthly_report

REPORT_MAKERS = (Role.BOARD, Role.COORDINATOR)
FIRST_YEAR = 2000

report_readers = role_required(*FINANCE_ROLES, hide=True)
report_makers = role_required(*REPORT_MAKERS, hide=True)
board_only = role_required(Role.BOARD, hide=True)


class ReportMonthForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("Month"),
        max_length=7,
        help_text=gettext_lazy("As YYYY-MM, for example 2026-11. Only a month that has ended."),
        widget=forms.TextInput(attrs={"type": "month", "autocomplete": "off"}),
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        last_ended = previous_month(today)
        self.fields["month"].initial = f"{last_ended:%Y-%m}"
        self.fields["month"].widget.attrs.update(
            {"min": f"{FIRST_YEAR}-01", "max": f"{last_ended:%Y-%m}"}
        )

    def clean_month(self) -> date:
        value = self.cleaned_data["month"].strip()
        try:
            period = datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007 (a calendar month, no time)
        except ValueError:
            raise ValidationError(
                _("Enter the month as YYYY-MM, for example 2026-11."), code="invalid"
            ) from None
        if period.year < FIRST_YEAR:
            raise ValidationError(
                _("Enter a month from %(year)s on.") % {"year": FIRST_YEAR}, code="too_early"
            )
        # The month in progress is refused too: its figures are incomplete, and a draft of it would make
        # the beat job of the 1st skip that month ("a month that has a report already is left alone").
        if period >= self.today.replace(day=1):
            raise ValidationError(
                _(
                    "%(month)s has not ended yet; its report can be made from the first of the next month."
                )
                % {"month": date_format(period, "F Y")},
                code="not_ended",
            )
        return period


@dataclass(frozen=True)
class ReportMonth:
    period: date
    versions: list[MonthlyReport]
    # The version Bo-Ex gets (final or sent); while there is one, no other version can be made final.
    final: MonthlyReport | None


def _months(reports: list[MonthlyReport]) -> list[ReportMonth]:
    """The versions grouped per month; the caller orders them newest month and version first."""
    months = []
    for period, grouped in groupby(reports, key=lambda report: report.period):
        versions = list(grouped)
        final = next((report for report in versions if report.status != ReportStatus.DRAFT), None)
        months.append(ReportMonth(period=period, versions=versions, final=final))
    return months


def _render(
    request: HttpRequest, *, form: ReportMonthForm | None = None, status: int = 200
) -> HttpResponse:
    can_make = has_role(request.user, *REPORT_MAKERS)
    reports = list(
        selectors.monthly_reports_visible_to(request.user)
        .select_related("generated_by", "finalised_by")
        .order_by("-period", "-version")
    )
    office = office_settings_get()
    return render(
        request,
        "budget/report_list.html",
        {
            "months": _months(reports),
            "can_make": can_make,
            "can_finalise": has_role(request.user, Role.BOARD),
            "form": (form or ReportMonthForm(today=timezone.localdate())) if can_make else None,
            "recipients": report_recipients() if can_make else None,
            "send_automatically": office.monthly_report_send_automatically,
            "ReportStatus": ReportStatus,
        },
        status=status,
    )


@report_readers
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    return _render(request)


@report_makers
@require_POST
def report_generate(request: HttpRequest) -> HttpResponse:
    form = ReportMonthForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        return _render(request, form=form, status=400)
    period: date = form.cleaned_data["month"]
    # A PDF takes a while: the `pdf` queue makes it, and the page shows the new version once it is there.
    user_id = request.user.pk
    transaction.on_commit(lambda: enqueue(generate_monthly_report, period.isoformat(), user_id))
    messages.success(
        request,
        _(
            "The report of %(month)s is being made. Reload this page in a minute to see the new version."
        )
        % {"month": date_format(period, "F Y")},
    )
    return redirect("budget:report_list")


@board_only
@require_POST
def report_finalise(request: HttpRequest, report_uuid) -> HttpResponse:
    report = selectors.monthly_report_get_for(request.user, report_uuid)
    try:
        monthly_report_finalise(report, by=request.user)
    except BudgetError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Version %(version)s of %(month)s is final and is being sent to Bo-Ex.")
            % {"version": report.version, "month": date_format(report.period, "F Y")},
        )
    return redirect("budget:report_list")


@report_makers
@require_POST
def report_send_again(request: HttpRequest, report_uuid) -> HttpResponse:
    report = selectors.monthly_report_get_for(request.user, report_uuid)
    try:
        monthly_report_send_again(report, by=request.user)
    except BudgetError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The report of %(month)s is being sent again; this page shows the outcome.")
            % {"month": date_format(report.period, "F Y")},
        )
    return redirect("budget:report_list")


def _file_response(field: FieldFile, content_type: str) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=field.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )


@report_readers
@require_GET
def report_csv(request: HttpRequest, report_uuid) -> FileResponse:
    report = selectors.monthly_report_get_for(request.user, report_uuid)
    return _file_response(report.csv_file, CONTENT_TYPES["csv"])


@report_readers
@require_GET
def report_xlsx(request: HttpRequest, report_uuid) -> FileResponse:
    report = selectors.monthly_report_get_for(request.user, report_uuid)
    return _file_response(report.xlsx_file, CONTENT_TYPES["xlsx"])


urlpatterns = [
    path("rapportages/", report_list, name="report_list"),
    path("rapportages/maken/", report_generate, name="report_generate"),
    path("rapportages/<uuid:report_uuid>/definitief/", report_finalise, name="report_finalise"),
    path(
        "rapportages/<uuid:report_uuid>/opnieuw-versturen/",
        report_send_again,
        name="report_send_again",
    ),
    path("rapportages/<uuid:report_uuid>/csv/", report_csv, name="report_csv"),
    path("rapportages/<uuid:report_uuid>/xlsx/", report_xlsx, name="report_xlsx"),
]
