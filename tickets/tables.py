import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zelfbeheer.tables import DateTimeColumn

from .models import RepairRequest


class DeskQueueTable(tables.Table):
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
        # The same cells, written out in the template for speed (see there).
        template_name = "tickets/desk_queue_table.html"

    def __init__(self, *args, new_since=None, **kwargs):
        self.new_since = new_since
        super().__init__(
            *args,
            row_attrs={
                "class": lambda record: (
                    "portal-new" if self.new_since and record.created_at > self.new_since else ""
                ),
                "data-overdue": lambda record: "true" if record.sla_state == "overdue" else "false",
            },
            **kwargs,
        )

    def render_number(self, record: RepairRequest, value: str):
        return format_html(
            '<a href="{}" class="portal-queue-link">{}</a>',
            reverse("tickets:desk_triage", args=[record.uuid]),
            value,
        )

    def render_category(self, record: RepairRequest):
        return str(record.category)
