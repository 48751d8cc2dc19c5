"""Money as people type it, shared by every budget form."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Far above any invoice the foundation receives, and low enough that excl. + VAT still fits the
# database column (12 digits, 2 decimals).
MAX_AMOUNT = Decimal("999999999.99")

# Dutch first: "1.234,56", "1234,56" and "1.234" (a dot before three digits groups thousands).
# Also accepted: "1234.56" and the English "1,234.56". Anything else is refused, never guessed.
_DUTCH_GROUPED = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_PLAIN = re.compile(r"-?\d+(?:[.,]\d+)?")
_ENGLISH_GROUPED = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_IGNORED = re.compile(r"[\s\u00a0\u202f€]")


def parse_amount(text: str) -> Decimal:
    """An amount as people type it, in euros; ValueError when it is not one.

    Django's localized DecimalField reads "1.234,56" only with USE_THOUSAND_SEPARATOR on, and then
    only in the Dutch interface; an amount copied from a Dutch invoice must work in every language.
    """
    value = _IGNORED.sub("", text).replace("\u2212", "-")
    if _DUTCH_GROUPED.fullmatch(value):
        value = value.replace(".", "").replace(",", ".")
    elif _PLAIN.fullmatch(value):
        value = value.replace(",", ".")
    elif _ENGLISH_GROUPED.fullmatch(value):
        value = value.replace(",", "")
    else:
        raise ValueError(text)
    try:
        return Decimal(value)
    except InvalidOperation as error:
        raise ValueError(text) from error


class AmountField(forms.DecimalField):
    """Euros and cents, typed the Dutch way or the plain way; a text box so a comma is never lost."""

    default_error_messages = {
        "invalid": _("Enter an amount in euros, such as 1.234,56."),
        "max_decimal_places": _("Amounts are in euros and cents: at most 2 decimals."),
        "max_value": _("This amount is too large."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(max_value=MAX_AMOUNT, decimal_places=2, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_amount(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
