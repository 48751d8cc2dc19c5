import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import RepairRequest


class DeskQueueTable(tables.Table):
    number = tables.Column(verbose_name=_("Number"))
    created_at = tables.DateTimeColumn(verbose_name=_("Received"), format="j M H:i")
    location = tables.Column(verbose_name=_("Address"), accessor="location", orderable=False)
    category = tables.Column(verbose_name=_("Defect"))
    urgency = tables.Column(verbose_name=_("Urgency"))
    status = tables.Column(verbose_name=_("Status"))
    responsibility = tables.Column(verbose_name=_("Responsible"))
    routing_flagged = tables.BooleanColumn(verbose_name=_("Needs the desk"))

    class Meta:
        model = RepairRequest
        fields = (
            "number",
            "created_at",
            "location",
            "category",
            "urgency",
            "status",
            "responsibility",
            "routing_flagged",
        )
        attrs = {"class": "utrecht-table utrecht-table--html-table"}
        order_by = ("-created_at",)
