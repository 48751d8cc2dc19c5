from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def duration_days(value: timedelta | None) -> Decimal | None:
    """A lead time in days with one decimal."""
    if value is None:
        return None
    return (Decimal(value.total_seconds()) / Decimal(86400)).quantize(Decimal("0.1"), ROUND_HALF_UP)
