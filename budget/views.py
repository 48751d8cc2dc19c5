from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from social.selectors import social_case_counts
from zelfbeheer.accounts.decorators import role_required

from . import selectors
from .selectors import FINANCE_ROLES


@role_required(*FINANCE_ROLES)
def dashboard(request):
    year = timezone.localdate().year
    lines = list(selectors.budget_lines_with_totals(year))
    totals = {
        "budget": sum((line.annual_amount for line in lines), start=0),
        "actual": sum((line.actual for line in lines), start=0),
    }
    reports = selectors.monthly_reports_visible_to(request.user)[:12]
    return render(
        request,
        "budget/dashboard.html",
        {
            "year": year,
            "lines": lines,
            "totals": totals,
            "reports": reports,
            # Counts about people: below 5 they arrive as "< 5" already.
            "social_counts": social_case_counts(),
        },
    )


@role_required(*FINANCE_ROLES)
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
