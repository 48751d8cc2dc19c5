from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zelfbeheer.accounts.decorators import role_required

from . import dashboard_sections, selectors
from .selectors import FINANCE_ROLES


def _year_from(request: HttpRequest, today) -> int:
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


@role_required(*FINANCE_ROLES, hide=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The board's page: money per budget line, burn, forecast, cost per home, service, social counts."""
    today = timezone.localdate()
    year = _year_from(request, today)
    money_section, service_section = dashboard_sections.sections_html(year, today)
    return render(
        request,
        "budget/dashboard.html",
        {
            "year": year,
            "years": selectors.financial_years(),
            "money_section": money_section,
            "service_section": service_section,
            "reports": selectors.monthly_reports_visible_to(request.user)[:12],
        },
    )


@role_required(*FINANCE_ROLES, hide=True)
def report_download(request, report_uuid):
    report = selectors.monthly_report_get_for(request.user, report_uuid)
    try:
        handle = report.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=report.pdf.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
