import django_tables2 as tables
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zelfbeheer.tables import (
    ROWS_WRITTEN_IN_PYTHON,
    DateTimeColumn,
    RowsWrittenInPython,
    choice_label,
    local_date,
)

from .models import SocialCase


class CaseListTable(RowsWrittenInPython):
    number = tables.Column(verbose_name=_("Number"))
    title = tables.Column(verbose_name=_("Case"), accessor="display_title", order_by=("title",))
    case_type = tables.Column(verbose_name=_("Type"))
    status = tables.Column(verbose_name=_("Status"))
    workers = tables.Column(verbose_name=_("Social workers"), accessor="pk", orderable=False)
    opened_at = DateTimeColumn(verbose_name=_("Opened"), format="j M Y")
    next_due = DateTimeColumn(verbose_name=_("Next deadline"), format="j M Y", default="—")

    class Meta:
        model = SocialCase
        fields = ("number", "title", "case_type", "status", "workers", "opened_at", "next_due")
        attrs = {"class": "utrecht-table utrecht-table--html-table portal-queue"}
        order_by = ("next_due",)
        template_name = ROWS_WRITTEN_IN_PYTHON

    def __init__(self, *args, **kwargs):
        super().__init__(
            *args,
            row_attrs={"data-overdue": lambda record: "true" if record.has_overdue else "false"},
            **kwargs,
        )

    def row_html(self, record: SocialCase, parity: str):
        return format_html(
            '<tr class="{}" data-overdue="{}">'
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            parity,
            "true" if record.has_overdue else "false",
            self.render_number(record, record.number),
            record.display_title,
            choice_label(record, "case_type"),
            choice_label(record, "status"),
            self.render_workers(record),
            local_date(record.opened_at, "j M Y"),
            "—" if record.next_due is None else self.render_next_due(record, record.next_due),
        )

    def render_number(self, record: SocialCase, value: str):
        return format_html(
            '<a href="{}" class="portal-queue-link">{}</a>',
            reverse("social:case_detail", args=[record.uuid]),
            value,
        )

    def render_workers(self, record: SocialCase):
        names = [worker.get_full_name() or worker.email for worker in record.assigned_workers.all()]
        return ", ".join(names) or _("Nobody yet")

    def render_next_due(self, record: SocialCase, value):
        text = format_date(value, "j M Y")
        if record.has_overdue:
            return format_html(
                '<strong class="portal-overdue">{} ({})</strong>', text, _("overdue")
            )
        return text
