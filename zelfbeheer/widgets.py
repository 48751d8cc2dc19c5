"""Form widgets shared by the apps, and choices made only when a form is shown."""

from collections.abc import Callable
from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class _OptionsWrittenHere:
    """The same HTML as Django's select, but the options are written here, escaped one by one with
    the standard library (what django.utils.html.escape does, without its lazy-string wrapper), rather
    than as a dictionary and a template each: the desk's filter form took 20 ms that way at a
    corporation's thousand buildings."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        wanted = {str(chosen) for chosen in self.format_value(value)}
        selected_one = False

        def option(option_value, label) -> str:
            nonlocal selected_one
            option_value = "" if option_value is None else str(option_value)
            # Like Django's select: only the first matching option is selected.
            selected = option_value in wanted and (not selected_one or self.allow_multiple_selected)
            selected_one = selected_one or selected
            return (
                f'<option value="{escape(option_value)}"{" selected" if selected else ""}>'
                f"{escape(str(label))}</option>"
            )

        parts = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(str(option_value))}">')
                parts.extend(option(sub_value, sub_label) for sub_value, sub_label in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(option_value, label))
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        # Every piece above is escaped.
        options_html = mark_safe("".join(parts))  # noqa: S308
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options_html
        )


class LongSelect(_OptionsWrittenHere, forms.Select):
    """A select for long lists (a corporation has a thousand buildings), or many selects on a page."""


class LongSelectMultiple(_OptionsWrittenHere, forms.SelectMultiple):
    """The multiple-choice twin of LongSelect."""


class ChoicesOnDemand(BaseChoiceIterator):
    """Choices made on first use and kept: a select asks for them more than once, and a filter form
    that is only validated (an htmx refresh shows no form) never asks."""

    def __init__(self, make: Callable[[], list]) -> None:
        self.make = make
        self.made: list | None = None

    def __iter__(self):
        if self.made is None:
            self.made = self.make()
        return iter(self.made)


def empty_choice(field) -> list[tuple[str, str]]:
    return [] if field.empty_label is None else [("", field.empty_label)]


def model_choices_in_one_fetch(field) -> None:
    """A model select's options from one plain read, made when shown: Django's own iterator reads
    through a server-side cursor (three round trips) and again for each look at the choices."""
    field.widget.choices = ChoicesOnDemand(
        lambda: [
            *empty_choice(field),
            *((item.pk, field.label_from_instance(item)) for item in field.queryset),
        ]
    )
