"""Server-side SVG charts (leather), the same markup on the dashboard and in the PDF report.

The SVG carries only attributes, no <style> or script, so the portal's Content Security Policy and
weasyprint both take it as it is. Every chart has a title and a description for screen readers, and the
page shows the same figures in a table.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_CEILING, Decimal

import leather
import leather.ticks.base
from django.utils.dateformat import format as format_date
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

from .dashboard import BurnPoint

FONT = "DejaVu Sans, Arial, sans-serif"
WIDTH, HEIGHT = 640, 320
ACTUAL_COLOUR = "#00689e"  # dark blue, contrast 6:1 on white
PLAN_COLOUR = "#5b5b5b"
COLUMN_COLOUR = "#00689e"

for _name in dir(leather.theme):
    if _name.endswith("_font_family"):
        setattr(leather.theme, _name, FONT)
leather.theme.background_color = "#ffffff"
leather.theme.title_color = "#333333"
leather.theme.tick_color = "#d0d0d0"  # grid lines
leather.theme.label_color = "#5b5b5b"  # tick labels
leather.theme.axis_title_color = "#333333"
leather.theme.legend_color = "#333333"


# leather's own Linear scale searches hundreds of tick sequences for the best-scoring one (3 ms per axis,
# most of the dashboard's time). Our axes all start at zero, so a round step is found directly.
ROUND_STEPS = (Decimal("1"), Decimal("2"), Decimal("2.5"), Decimal("5"), Decimal("10"))
MAX_INTERVALS = 5


def round_ticks(top: Decimal | int | float, *, whole: bool = False) -> list[Decimal]:
    """Ticks from 0 to at least `top` in at most five equal round steps (1, 2, 2.5 or 5 times a power
    of ten). With `whole`, steps are whole numbers (for counts)."""
    top = Decimal(str(top)) if not isinstance(top, Decimal) else top
    if top <= 0:
        top = Decimal("1")
    magnitude = Decimal(10) ** ((top / MAX_INTERVALS).adjusted())
    for multiple in ROUND_STEPS:
        step = multiple * magnitude
        if whole and (step < 1 or step != step.to_integral_value()):
            continue
        if step * MAX_INTERVALS >= top:
            break
    intervals = int((top / step).to_integral_value(rounding=ROUND_CEILING))
    return [step * index for index in range(intervals + 1)]


class _FixedTicker(leather.ticks.base.Ticker):
    def __init__(self, ticks: list[Decimal]) -> None:
        self._ticks = ticks

    @property
    def ticks(self) -> list[Decimal]:
        return self._ticks

    @property
    def min(self) -> Decimal:
        return self._ticks[0]

    @property
    def max(self) -> Decimal:
        return self._ticks[-1]


class ZeroBasedScale(leather.Linear):
    """0 to a round number at or above `top`, ticked by `round_ticks`."""

    def __init__(self, top, *, whole: bool = False) -> None:
        ticks = round_ticks(top, whole=whole)
        self._data_min, self._data_max = ticks[0], ticks[-1]
        self._ticker = _FixedTicker(ticks)


class MonthScale(leather.Linear):
    """Months 1..n edge to edge, one tick per month."""

    def __init__(self, months: int) -> None:
        self._data_min, self._data_max = Decimal(1), Decimal(max(months, 2))
        self._ticker = _FixedTicker([Decimal(month) for month in range(1, months + 1)])

    def project(self, value, range_min, range_max):
        position = (Decimal(value) - self._data_min) / (self._data_max - self._data_min)
        return (Decimal(range_max) - Decimal(range_min)) * position + Decimal(range_min)


def _svg(chart: leather.Chart, title: str, description: str, chart_id: str) -> SafeString:
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "version": "1.1",
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "class": "portal-chart",
        },
    )
    ET.SubElement(root, "title", {"id": f"{chart_id}-title"}).text = title
    ET.SubElement(root, "desc", {"id": f"{chart_id}-desc"}).text = description
    root.append(chart.to_svg_group(WIDTH, HEIGHT))
    # ElementTree escapes the texts and attribute values it writes.
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308


def _euros(value, index=None, count=None) -> str:
    return "€ " + number_format(Decimal(value).quantize(Decimal("1")), force_grouping=True)


def _count(value, index=None, count=None) -> str:
    return number_format(int(value), force_grouping=True)


def month_label(month: date) -> str:
    return format_date(month, "M")


def burn_chart(
    points: Sequence[BurnPoint], *, title: str, description: str, actual_name: str, plan_name: str
) -> SafeString:
    labels = {index: month_label(point.month) for index, point in enumerate(points, start=1)}
    chart = leather.Chart()
    chart.set_x_scale(MonthScale(len(points)))
    chart.add_x_axis(ticks=list(labels), tick_formatter=lambda value, index, count: labels[value])
    top = max(
        [point.plan_cumulative for point in points]
        + [point.actual_cumulative or Decimal("0") for point in points]
        + [Decimal("1")]
    )
    # Whole steps: the labels are rounded to whole euros, so € 0.20 steps would repeat "€ 0".
    chart.set_y_scale(ZeroBasedScale(top, whole=True))
    chart.add_y_axis(tick_formatter=_euros)
    chart.add_line(
        [(index, float(point.plan_cumulative)) for index, point in enumerate(points, start=1)],
        name=plan_name,
        stroke_color=PLAN_COLOUR,
        stroke_dasharray="6 4",
    )
    started = [
        (index, float(point.actual_cumulative))
        for index, point in enumerate(points, start=1)
        if point.actual_cumulative is not None
    ]
    if started:
        chart.add_line(started, name=actual_name, stroke_color=ACTUAL_COLOUR, width=3)
    return _svg(chart, title, description, "burn-chart")


def columns_chart(
    values: Sequence[tuple[date, int]], *, title: str, description: str, chart_id: str
) -> SafeString:
    labels = [month_label(month) for month, _count in values]
    chart = leather.Chart()
    chart.set_x_scale(leather.Ordinal(labels))
    chart.set_y_scale(ZeroBasedScale(max([count for _month, count in values] + [1]), whole=True))
    chart.add_y_axis(tick_formatter=_count)
    chart.add_columns(
        [(label, count) for label, (_month, count) in zip(labels, values, strict=True)],
        fill_color=COLUMN_COLOUR,
    )
    return _svg(chart, title, description, chart_id)
