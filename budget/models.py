import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tickets.models import WorkCategory, WorkOrder


class FinancialYear(models.Model):
    year = models.PositiveIntegerField(_("year"), unique=True)
    baseline_cost_per_home = models.DecimalField(
        _("cost per home before self-management"), max_digits=10, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("financial year")
        verbose_name_plural = _("financial years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class BudgetLine(models.Model):
    financial_year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="budget_lines"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    rgs_code = models.CharField(_("RGS code"), max_length=32)
    annual_amount = models.DecimalField(_("annual budget"), max_digits=12, decimal_places=2)
    categories = models.ManyToManyField(
        WorkCategory,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("work categories charged here"),
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["financial_year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "code"], name="budget_line_code_unique_in_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EntryKind(models.TextChoices):
    COMMITMENT = "commitment", _("Commitment")
    ACTUAL = "actual", _("Actual")


class BudgetEntry(models.Model):
    """Money booked on a budget line; one entry of each kind per work order at most."""

    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="entries")
    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="budget_entries"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount excl. VAT"), max_digits=12, decimal_places=2)
    booked_on = models.DateField(_("booked on"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("budget entry")
        verbose_name_plural = _("budget entries")
        ordering = ["-booked_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_order", "kind"],
                condition=models.Q(work_order__isnull=False),
                name="one_entry_of_each_kind_per_work_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.budget_line.code})"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")
    SENT = "sent", _("Sent")


class MonthlyReport(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    pdf = models.FileField(_("PDF"), upload_to="reports/")
    sha256 = models.CharField(max_length=64)
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-period", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "version"], name="report_version_unique_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} v{self.version}"
