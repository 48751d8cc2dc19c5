"""The privacy officer's access log, and a household's right of access (AVG art. 15) as a PDF.

The log is read by coordinators (the privacy officer) only, and never changed here. The export is made by a
social worker for a household that asks; making it is itself a read of the household's cases, so it is logged.
"""

import csv
from collections.abc import Iterator

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from budget.pdf import html_to_pdf
from tickets.intake import households_find
from tickets.intake_forms import HouseholdSearchForm
from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.roles import Role
from zelfbeheer.housing.models import Household

from .models import AccessPart, CaseAccessLog
from .privacy_filters import AccessLogFilter
from .privacy_tables import AccessLogTable
from .selectors import (
    access_log_queryset,
    cases_past_retention,
    household_export,
)
from .services import access_log_record, access_log_record_many

ACCESS_LOG_PAGE_SIZE = 50
CSV_CHUNK_SIZE = 2000
# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# --- The access log ----------------------------------------------------------------------------------


def _filtered_log(request: HttpRequest) -> tuple[AccessLogFilter, QuerySet[CaseAccessLog]]:
    # An invalid filter (a date like "31-02") shows the form's message and an empty log rather than
    # silently dropping that filter and showing more than was asked for.
    log_filter = AccessLogFilter(request.GET or None, queryset=access_log_queryset())
    if log_filter.is_bound and not log_filter.is_valid():
        return log_filter, log_filter.queryset.none()
    return log_filter, log_filter.qs


@role_required(Role.COORDINATOR, hide=True)
def access_log(request: HttpRequest) -> HttpResponse:
    log_filter, log = _filtered_log(request)
    table = AccessLogTable(log)
    RequestConfig(request, paginate={"per_page": ACCESS_LOG_PAGE_SIZE}).configure(table)
    csv_params = request.GET.copy()
    for key in ("page", "sort"):
        csv_params.pop(key, None)
    # The retention overview names case numbers only: the privacy officer does not read case files.
    past_retention = {
        key: [case.number for case in cases]
        for key, cases in cases_past_retention(timezone.localdate()).items()
    }
    return render(
        request,
        "social/access_log.html",
        {
            "filter": log_filter,
            "table": table,
            "csv_query": csv_params.urlencode(),
            "filters_active": any(request.GET.get(key) for key in AccessLogFilter.base_filters),
            "overdue": past_retention["overdue"],
            "without_date": past_retention["without_date"],
        },
    )


class _Echo:
    """csv.writer writes into this and gets the line back, so rows can be streamed."""

    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _csv_lines(log: Iterator[CaseAccessLog]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([_("When"), _("Who"), _("Case"), _("Home"), _("Part"), _("Address")])
    for entry in log:
        yield writer.writerow(
            [
                _cell(timezone.localtime(entry.at).isoformat(timespec="seconds")),
                _cell(entry.user.email),
                _cell(entry.case.number if entry.case else ""),
                _cell(entry.household.home.unit_id if entry.household else ""),
                _cell(entry.get_part_display()),
                _cell(entry.path),
            ]
        )


@role_required(Role.COORDINATOR, hide=True)
def access_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    _log_filter, log = _filtered_log(request)
    rows = log.order_by("-at", "-pk").iterator(chunk_size=CSV_CHUNK_SIZE)
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename="toegangslog.csv"
    )
    return response


# --- A household's right of access -------------------------------------------------------------------


@role_required(Role.SOCIAL, hide=True)
def household_export_search(request: HttpRequest) -> HttpResponse:
    form = HouseholdSearchForm(request.GET or None)
    households = households_find(form.cleaned_data["q"]) if form.is_valid() else []
    return render(
        request,
        "social/household_export_search.html",
        {"form": form, "households": households, "searched": form.is_bound},
    )


@role_required(Role.SOCIAL, hide=True)
def household_export_pdf(request: HttpRequest, household_uuid) -> HttpResponse:
    # A household that has moved out keeps its right of access, so former tenancies are found too.
    household = get_object_or_404(Household.objects.select_related("home"), uuid=household_uuid)
    export = household_export(household)
    cases = [extract.case for extract in export["cases"]]
    with translation.override(household.preferred_language):
        html = render_to_string(
            "social/household_export_pdf.html",
            {**export, "generated_at": timezone.now()},
        )
    pdf = html_to_pdf(html)
    # Logged once the export exists: one row for the household, one for each case it shows.
    with transaction.atomic():
        access_log_record(
            request.user, part=AccessPart.EXPORT, household=household, path=request.path
        )
        access_log_record_many(request.user, cases, part=AccessPart.EXPORT, path=request.path)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"inzage-{household.home.unit_id}.pdf"
    )
    return response


urlpatterns = [
    path("toegangslog/", access_log, name="access_log"),
    path("toegangslog/toegangslog.csv", access_log_csv, name="access_log_csv"),
    path("huishouden/", household_export_search, name="household_export_search"),
    path(
        "huishouden/<uuid:household_uuid>/inzage.pdf",
        household_export_pdf,
        name="household_export_pdf",
    ),
]
