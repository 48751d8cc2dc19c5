"""The charts' colours meet WCAG AA contrast on their white background (axe cannot decide inside SVG)."""

import pytest

from budget import charts


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
