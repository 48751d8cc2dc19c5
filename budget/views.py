from decimal import Decimal

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.roles import Role, has_role

from . import charts, selectors
from . import dashboard as dashboard_figures
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
    money = dashboard_figures.money_figures(year, today)
    overview, burn, forecast = money.overview, money.burn, money.forecast
    snapshot = dashboard_figures.service_snapshot(today)
    per_month = snapshot.per_month
    actual_so_far = next(
        (
            point.actual_cumulative
            for point in reversed(burn)
            if point.actual_cumulative is not None
        ),
        Decimal("0.00"),
    )
    elapsed = dashboard_figures.months_elapsed(year, today)
    plan_so_far = burn[elapsed - 1].plan_cumulative if elapsed else Decimal("0.00")
    return render(
        request,
        "budget/dashboard.html",
        {
            "year": year,
            "years": selectors.financial_years(),
            "overview": overview,
            "burn": burn,
            "burn_chart": charts.burn_chart(
                burn,
                title=_("Spending in %(year)s against the linear plan") % {"year": year},
                description=_(
                    "Actual spending so far is € %(actual)s, against € %(plan)s in the linear plan."
                )
                % {
                    "actual": number_format(actual_so_far, 2, force_grouping=True),
                    "plan": number_format(plan_so_far, 2, force_grouping=True),
                },
                actual_name=_("Actual"),
                plan_name=_("Linear plan"),
            ),
            "forecast": forecast,
            "cost_per_home": dashboard_figures.cost_per_home(overview, forecast, snapshot.homes),
            "service": snapshot.service,
            "service_made_at": snapshot.made_at,
            "per_month": per_month,
            "requests_chart": charts.columns_chart(
                per_month,
                title=_("Repair requests per month"),
                description=_("%(count)s requests received in the last twelve months.")
                % {"count": sum(count for _month, count in per_month)},
                chart_id="requests-chart",
            ),
            "reports": selectors.monthly_reports_visible_to(request.user)[:12],
            # Counts about people: below 5 they arrive as "< 5" already.
            "social_counts": snapshot.social,
            "can_edit": has_role(request.user, Role.BOARD, Role.COORDINATOR),
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
