"""The access log as a table (django-tables2); a household shows as its home's unit id, never its name."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from zelfbeheer.tables import DateTimeColumn

from .models import CaseAccessLog


class AccessLogTable(tables.Table):
    at = DateTimeColumn(verbose_name=_("When"), format="j M Y H:i:s", order_by=("at", "pk"))
    user = tables.Column(verbose_name=_("Who"), accessor="user__email", order_by=("user__email",))
    case = tables.Column(
        verbose_name=_("Case"), accessor="case__number", order_by=("case__number",), default="—"
    )
    household = tables.Column(
        verbose_name=_("Home"),
        accessor="household__home__unit_id",
        order_by=("household__home__unit_id",),
        default="—",
    )
    part = tables.Column(verbose_name=_("Part"))
    path = tables.Column(verbose_name=_("Address"), default="—", orderable=False)

    class Meta:
        model = CaseAccessLog
        fields = ("at", "user", "case", "household", "part", "path")
        attrs = {"class": "utrecht-table utrecht-table--html-table"}
        order_by = ("-at",)
        empty_text = _("Nothing in the log for this selection.")
