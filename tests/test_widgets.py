"""LongSelect writes the same select as Django's own widget, only faster."""

from django import forms
from django.test.html import parse_html

from zelfbeheer.widgets import LongSelect, LongSelectMultiple

CHOICES = [
    ("", "—"),
    ("Noord", [("1", "Blok <1> & co"), ("2", "Blok 2")]),
    ("3", 'Blok "3"'),
]


class BothWidgets(forms.Form):
    django_select = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.Select)
    long_select = forms.ChoiceField(choices=CHOICES, required=False, widget=LongSelect)
    django_multiple = forms.MultipleChoiceField(
        choices=CHOICES, required=False, widget=forms.SelectMultiple
    )
    long_multiple = forms.MultipleChoiceField(
        choices=CHOICES, required=False, widget=LongSelectMultiple
    )


def _html(form: forms.Form, name: str) -> str:
    return str(form[name]).replace(name, "NAME")


def test_long_select_renders_like_djangos_select_with_escaping_groups_and_selection():
    for data in (
        {},
        {"django_select": "2", "long_select": "2"},
        {"django_select": "x", "long_select": "x"},
    ):
        form = BothWidgets(data or None)
        form.is_valid()
        assert parse_html(_html(form, "long_select")) == parse_html(_html(form, "django_select"))
    rendered = str(BothWidgets({"long_select": "2"})["long_select"])
    assert '<option value="2" selected>Blok 2</option>' in rendered
    assert "Blok &lt;1&gt; &amp; co" in rendered
    assert '<optgroup label="Noord">' in rendered


def test_long_select_multiple_renders_like_djangos_with_every_chosen_option_selected():
    for data in ({}, {"django_multiple": ["2", "3"], "long_multiple": ["2", "3"]}):
        form = BothWidgets(data or None)
        form.is_valid()
        assert parse_html(_html(form, "long_multiple")) == parse_html(
            _html(form, "django_multiple")
        )
    rendered = str(BothWidgets({"long_multiple": ["2", "3"]})["long_multiple"])
    assert '<option value="2" selected>' in rendered
    assert '<option value="3" selected>' in rendered
    assert " multiple" in rendered
