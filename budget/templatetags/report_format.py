"""Filters for the monthly report: the figures arrive as plain strings ("1234.50", "66.7", "< 5").

Each filter shows them in the active language's notation (the report is rendered in Dutch: "€ 1.234,50",
"66,7") and shows a missing figure as "–". Text that is not a number, such as a suppressed count, is
shown as it is.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from budget.report import KEY_FIGURES, key_figure_labels
from zelfbeheer.dates import add_months

register = template.Library()

MISSING = "–"
COMPARED = ("this_month", "previous_month", "same_month_last_year")
MONEY_FIGURES = frozenset({"actual_in_month"})


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def euros(value) -> str:
    """ "1234.5" → "€ 1.234,50"; None → "–"."""
    amount = _decimal(value)
    if amount is None:
        return MISSING if value in (None, "") else str(value)
    return "€ " + number_format(amount, 2, force_grouping=True)


@register.filter
def figure(value) -> str:
    """A count or a decimal as written: 1234 → "1.234", "66.7" → "66,7"; None → "–"; "< 5" stays."""
    number = _decimal(value)
    if number is None:
        return MISSING if value in (None, "") else str(value)
    return number_format(number, force_grouping=True)


@register.filter
def percentage(value) -> str:
    """ "66.7" → "66,7%"; None → "–"."""
    if _decimal(value) is None:
        return figure(value)
    return f"{figure(value)}%"


@register.filter
def months_before(period: date, count: int) -> date:
    """The first of the month `count` months before `period` (for the comparison columns)."""
    return add_months(period.replace(day=1), -int(count))


@register.filter
def key_figure_rows(key_figures: dict) -> list[dict]:
    """The key figures table: one row per figure, labelled as in the CSV and Excel files.

    The labels come from budget.report, not from {% translate %} in the template: the template tag looks
    labels with a "%" up as "%%", so "Dissatisfied (%)" would be a different message there than in the CSV.
    """
    labels = key_figure_labels()
    return [
        {
            "label": labels[key],
            "money": key in MONEY_FIGURES,
            "values": [key_figures[column][key] for column in COMPARED],
        }
        for key in KEY_FIGURES
    ]
