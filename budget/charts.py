"""Server-side SVG charts (leather), the same markup on the dashboard and in the PDF report.

The SVG carries only attributes, no <style> or script, so the portal's Content Security Policy and
weasyprint both take it as it is. Every chart has a title and a description for screen readers, and the
page shows the same figures in a table.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import leather
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


class MonthScale(leather.Linear):
    """Months 1..n edge to edge; leather's Linear would widen the axis to round numbers."""

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


def month_label(month: date) -> str:
    return format_date(month, "M")


def burn_chart(
    points: Sequence[BurnPoint], *, title: str, description: str, actual_name: str, plan_name: str
) -> SafeString:
    labels = {index: month_label(point.month) for index, point in enumerate(points, start=1)}
    chart = leather.Chart()
    chart.set_x_scale(MonthScale(1, len(points)))
    chart.add_x_axis(ticks=list(labels), tick_formatter=lambda value, index, count: labels[value])
    top = max(
        [point.plan_cumulative for point in points]
        + [point.actual_cumulative or Decimal("0") for point in points]
        + [Decimal("1")]
    )
    chart.set_y_scale(leather.Linear(0, float(top)))
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
    chart.set_y_scale(leather.Linear(0, max([count for _month, count in values] + [1])))
    chart.add_columns(
        [(label, count) for label, (_month, count) in zip(labels, values, strict=True)],
        fill_color=COLUMN_COLOUR,
    )
    return _svg(chart, title, description, chart_id)
