"""The dashboard's two large sections, rendered once and kept as HTML until what they show changes.

The money section is kept under the ledger's version (renewed by every write to the money, see
`budget/signals.py`), the service section under the moment its snapshot was made (refreshed by beat every
10 minutes). Both are kept per language and year, and rendered without the request, so neither can hold
a form token, a name or anything else of the person who happened to make them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zelfbeheer.versioned_cache import VersionedCache

from . import charts
from . import dashboard as figures

# The snapshot's moment is part of each key, so a new snapshot is a new entry; the old one expires.
SERVICE_SECTIONS = VersionedCache(
    "budget:service-section", timeout_seconds=2 * 60 * figures.SNAPSHOT_REFRESH_MINUTES
)


def sections_html(year: int, today: date) -> tuple[str, str]:
    """The money section and the service section, reading the snapshot once for both."""
    snapshot = figures.service_snapshot(today)
    return money_section_html(year, today, snapshot.homes), service_section_html(year, snapshot)


def money_section_html(year: int, today: date, homes: int) -> str:
    """Key figures, budget lines, cost per home and the burn chart with its table."""

    def render() -> str:
        money = figures.money_figures(year, today)
        actual_so_far = next(
            (
                point.actual_cumulative
                for point in reversed(money.burn)
                if point.actual_cumulative is not None
            ),
            Decimal("0.00"),
        )
        elapsed = figures.months_elapsed(year, today)
        plan_so_far = money.burn[elapsed - 1].plan_cumulative if elapsed else Decimal("0.00")
        burn_chart = charts.burn_chart(
            money.burn,
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
        )
        context = {
            "year": year,
            "overview": money.overview,
            "burn": money.burn,
            "burn_chart": burn_chart,
            "forecast": money.forecast,
            "cost_per_home": figures.cost_per_home(money.overview, money.forecast, homes),
        }
        return render_to_string("budget/dashboard_money.html", context)

    parts = ("money-section", str(year), today.isoformat(), get_language(), str(homes))
    return figures.LEDGER.get_or_make(parts, render)


def service_section_html(year: int, snapshot: figures.ServiceSnapshot) -> str:
    """Service figures with the requests-per-month chart, and the social counts (counts below 5 arrive
    as "< 5" already)."""

    def render() -> str:
        per_month = snapshot.per_month
        context = {
            "year": year,
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
            "social_counts": snapshot.social,
        }
        return render_to_string("budget/dashboard_service.html", context)

    parts = ("service-section", str(year), snapshot.made_at.isoformat(), get_language())
    return SERVICE_SECTIONS.get_or_make(parts, render)
