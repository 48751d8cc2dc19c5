"""Tables whose rows a template writes out for speed must show what the table itself defines."""

from django.test.html import parse_html
from django_tables2 import RequestConfig


def tbody(table, request, template_name: str) -> str:
    table.template_name = template_name
    RequestConfig(request).configure(table)
    html = table.as_html(request)
    return html[html.index("<tbody") : html.index("</tbody>") + len("</tbody>")]


def assert_rows_match_the_table(make_table, request) -> str:
    """Render the rows with the table's template and with django-tables2's own; return the former."""
    table = make_table()
    written_out = tbody(table, request, table.template_name)
    assert parse_html(written_out) == parse_html(
        tbody(make_table(), request, "django_tables2/table.html")
    )
    return written_out
