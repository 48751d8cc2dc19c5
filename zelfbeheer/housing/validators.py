import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Dutch postcodes: four digits (no leading zero), optional space, two letters (never SA, SD or SS).
POSTCODE_PATTERN = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")
FORBIDDEN_POSTCODE_LETTERS = {"SA", "SD", "SS"}


def normalize_postcode(value: str) -> str:
    """'3531 ab', '3531AB' and ' 3531 AB ' all become '3531 AB'; invalid input raises ValidationError."""
    match = POSTCODE_PATTERN.match((value or "").strip().upper())
    if not match or match.group(2) in FORBIDDEN_POSTCODE_LETTERS:
        raise ValidationError(
            _("%(value)s is not a valid Dutch postcode (for example 3531 AB)."),
            code="invalid_postcode",
            params={"value": value},
        )
    return f"{match.group(1)} {match.group(2)}"


def validate_postcode(value: str) -> None:
    normalize_postcode(value)
