import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zelfbeheer.tables import (
    ROWS_WRITTEN_IN_PYTHON,
    DateTimeColumn,
    RowsWrittenInPython,
    choice_label,
    local_date,
)

from .models import RepairRequest


def received_at(record: RepairRequest) -> str:
    """When the request came in, for the page's script: it marks the rows newer than the previous
    refresh, so every desk worker is sent the same (cached) table."""
    return record.created_at.isoformat(timespec="milliseconds")


class DeskQueueTable(RowsWrittenInPython):
    selection = tables.CheckBoxColumn(
        accessor="pk",
        attrs={"th__input": {"aria-label": _("Select all")}, "td__input": {"form": "bulk-form"}},
    )
    number = tables.Column(verbose_name=_("Number"))
    created_at = DateTimeColumn(verbose_name=_("Received"), format="j M H:i")
    location = tables.Column(verbose_name=_("Address"), accessor="location", orderable=False)
    category = tables.Column(verbose_name=_("Defect"), order_by=("category__name",))
    urgency = tables.Column(verbose_name=_("Urgency"))
    status = tables.Column(verbose_name=_("Status"))
    sla_state = tables.Column(verbose_name=_("SLA"))
    resolution_due = DateTimeColumn(verbose_name=_("Due"), format="j M H:i")
    contractor_name = tables.Column(verbose_name=_("Contractor"), default="—")
    channel = tables.Column(verbose_name=_("Channel"))

    class Meta:
        model = RepairRequest
        fields = (
            "selection", "number", "created_at", "location", "category", "urgency", "status", "sla_state",
            "resolution_due", "contractor_name", "channel",
        )  # fmt: skip
        attrs = {"class": "utrecht-table utrecht-table--html-table portal-queue"}
        order_by = ("-created_at",)
        template_name = ROWS_WRITTEN_IN_PYTHON

    def __init__(self, *args, **kwargs):
        super().__init__(
            *args,
            row_attrs={
                "data-overdue": lambda record: "true" if record.sla_state == "overdue" else "false",
                "data-received": lambda record: received_at(record),
            },
            **kwargs,
        )

    def row_html(self, record: RepairRequest, parity: str):
        return format_html(
            '<tr class="{}" data-overdue="{}" data-received="{}">'
            '<td><input type="checkbox" name="selection" value="{}" form="bulk-form"></td>'
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
            "<td>{}</td><td>{}</td></tr>",
            parity,
            "true" if record.sla_state == "overdue" else "false",
            received_at(record),
            record.pk,
            self.render_number(record, record.number),
            local_date(record.created_at, "j M H:i"),
            record.location,
            str(record.category),
            choice_label(record, "urgency"),
            choice_label(record, "status"),
            choice_label(record, "sla_state"),
            local_date(record.resolution_due, "j M H:i", default="—"),
            record.contractor_name or "—",
            choice_label(record, "channel"),
        )

    def render_number(self, record: RepairRequest, value: str):
        return format_html(
            '<a href="{}" class="portal-queue-link">{}</a>',
            reverse("tickets:desk_triage", args=[record.uuid]),
            value,
        )

    def render_category(self, record: RepairRequest):
        return str(record.category)
