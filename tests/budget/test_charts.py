"""The charts' colours meet WCAG AA contrast on their white background (axe cannot decide inside SVG)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from budget import charts
from budget.dashboard import BurnPoint


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize(
    "colour",
    [
        charts.ACTUAL_COLOUR,
        charts.PLAN_COLOUR,
        charts.COLUMN_COLOUR,
        charts.leather.theme.label_color,
        charts.leather.theme.title_color,
        charts.leather.theme.axis_title_color,
        charts.leather.theme.legend_color,
    ],
)
def test_chart_colours_have_enough_contrast_on_white(colour):
    assert charts.leather.theme.background_color == "#ffffff"
    assert contrast(colour, "#ffffff") >= 4.5


@pytest.mark.parametrize(
    ("top", "whole", "ticks"),
    [
        (1234, False, [0, 250, 500, 750, 1000, 1250]),
        (1000, False, [0, 200, 400, 600, 800, 1000]),
        (87_500, False, [0, 20_000, 40_000, 60_000, 80_000, 100_000]),
        (0, False, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (3, True, [0, 1, 2, 3]),
        (0, True, [0, 1]),
        (12, True, [0, 5, 10, 15]),
        (110, True, [0, 25, 50, 75, 100, 125]),
    ],
)
def test_axes_run_from_zero_to_a_round_top_in_at_most_five_round_steps(top, whole, ticks):
    found = charts.round_ticks(top, whole=whole)
    assert [float(tick) for tick in found] == ticks
    assert len(found) <= charts.MAX_INTERVALS + 1


def test_a_chart_of_counts_labels_its_axis_with_whole_localised_numbers():
    values = [(date(2026, month, 1), 1200 * month) for month in range(1, 13)]
    with translation.override("nl"):
        svg = charts.columns_chart(values, title="t", description="d", chart_id="c")
    assert ">15.000<" in svg
    assert ".0<" not in svg


def test_a_year_without_money_yet_labels_its_euro_axis_without_repeats():
    points = [
        BurnPoint(
            month=date(2026, month, 1),
            actual=Decimal("0"),
            actual_cumulative=None,
            plan_cumulative=Decimal("0"),
        )
        for month in range(1, 13)
    ]
    with translation.override("nl"):
        svg = charts.burn_chart(points, title="t", description="d", actual_name="a", plan_name="p")
    assert svg.count(">€ 0<") == 1
    assert ">€ 1<" in svg
