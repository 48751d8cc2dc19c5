"""Columns and row rendering shared by the apps' django-tables2 tables."""

from datetime import date, datetime
from functools import cache

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def local_date(value: date | datetime | None, format: str, default: str = "") -> str:
    """What the template filter `date` shows: in the portal's time zone and the user's language."""
    if value is None:
        return default
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, format)


class DateTimeColumn(tables.Column):
    """A date or time in the user's language and the portal's time zone, like django-tables2's own
    DateTimeColumn, which compiles a template for every cell (50 per page of the desk's queue)."""

    def __init__(self, *args, format: str, **kwargs):
        self.format = format
        super().__init__(*args, **kwargs)

    def render(self, value: date | datetime) -> str:
        return local_date(value, self.format)

    def value(self, value: date | datetime) -> str:
        # Exports show what the page shows.
        return self.render(value)


@cache
def _choice_labels(model: type, field_name: str) -> dict:
    return dict(model._meta.get_field(field_name).flatchoices)


def choice_label(record, field_name: str) -> str:
    """What `get_<field>_display()` shows, without hashing every (lazily translated) choice on each
    call: that made four such cells a fifth of the queue's rows."""
    value = getattr(record, field_name)
    return str(_choice_labels(type(record), field_name).get(value, value))


ROWS_WRITTEN_IN_PYTHON = "tables/rows_written_in_python.html"


class RowsWrittenInPython(tables.Table):
    """A table whose rows its own `row_html` writes, for the long lists people reload all day.

    django-tables2 renders each cell through a template node, a render method and an attrs lookup:
    a third of a 25-row page's time. Headers, sorting and pagination stay django-tables2's, and the
    tests compare the rows with django-tables2's own rendering of the same columns
    (`tests/written_out_tables.py`). Subclasses set `template_name = ROWS_WRITTEN_IN_PYTHON`."""

    def row_html(self, record, parity: str) -> SafeString:
        raise NotImplementedError

    def rows_html(self) -> SafeString:
        rows = [
            self.row_html(row.record, "even" if index % 2 == 0 else "odd")
            for index, row in enumerate(self.paginated_rows)
        ]
        if not rows and self.empty_text:
            return format_html(
                '<tr><td colspan="{}">{}</td></tr>', len(self.columns), self.empty_text
            )
        return format_html_join("", "{}", ((row,) for row in rows))
