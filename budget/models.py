import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tickets.models import Contract, Contractor, WorkCategory, WorkOrder
from zelfbeheer.history import audit_trail

MONEY = {"max_digits": 12, "decimal_places": 2}


class FinancialYear(models.Model):
    year = models.PositiveIntegerField(_("year"), unique=True)
    baseline_cost_per_home = models.DecimalField(
        _("cost per home before self-management"), max_digits=10, decimal_places=2, default=0
    )
    four_eyes_threshold = models.DecimalField(
        _("invoices above this amount (excl. VAT) need two board members"),
        **MONEY,
        default=Decimal("2500.00"),
        validators=[MinValueValidator(0)],
    )
    history = audit_trail()

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
    history = audit_trail(m2m_fields=[categories])

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


class Grant(models.Model):
    """Money the corporation grants for a year, paid in tranches."""

    financial_year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="grants", verbose_name=_("year")
    )
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(0)])
    granted_on = models.DateField(_("granted on"))
    history = audit_trail()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["financial_year", "granted_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="grant_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.financial_year}: {self.description}"


class GrantTranche(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="tranches")
    expected_on = models.DateField(_("expected on"))
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(0)])
    received_on = models.DateField(_("received on"), null=True, blank=True)
    history = audit_trail()

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["expected_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="tranche_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.grant} {self.expected_on}"


class ExpenseCategory(models.TextChoices):
    OFFICE = "office", _("Office")
    STAFF = "staff", _("Staff")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class Expense(models.Model):
    """A cost without a contractor's invoice (office, staff, training); it counts as an actual."""

    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("budget line")
    )
    category = models.CharField(_("kind"), max_length=16, choices=ExpenseCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    amount_excl_vat = models.DecimalField(_("amount excl. VAT"), **MONEY)
    vat_amount = models.DecimalField(_("VAT"), **MONEY, default=Decimal("0.00"))
    spent_on = models.DateField(_("date"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = audit_trail()

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-spent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_excl_vat__gte=0, vat_amount__gte=0),
                name="expense_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.spent_on} {self.description}"


class InvoiceStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


def invoice_upload_path(instance: "Invoice", filename: str) -> str:
    return f"invoices/{instance.uuid}.pdf"


class Invoice(models.Model):
    """A contractor's invoice against a work order or a budget line: received → approved → paid."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contractor = models.ForeignKey(
        Contractor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("contractor"),
    )
    supplier_name = models.CharField(_("supplier"), max_length=200, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=64)
    invoice_date = models.DateField(_("invoice date"))
    work_order = models.ForeignKey(
        WorkOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("work order"),
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("budget line")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount_excl_vat = models.DecimalField(_("amount excl. VAT"), **MONEY)
    vat_amount = models.DecimalField(_("VAT"), **MONEY)
    amount_incl_vat = models.DecimalField(_("amount incl. VAT"), **MONEY)
    pdf = models.FileField(_("PDF"), upload_to=invoice_upload_path, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=InvoiceStatus.choices, default=InvoiceStatus.RECEIVED
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejecting"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = audit_trail(excluded_fields=["version"])

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-invoice_date", "-pk"]
        indexes = [models.Index(fields=["status", "invoice_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_excl_vat__gte=0, vat_amount__gte=0),
                name="invoice_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    amount_incl_vat=models.F("amount_excl_vat") + models.F("vat_amount")
                ),
                name="invoice_incl_is_excl_plus_vat",
            ),
            models.UniqueConstraint(
                fields=["contractor", "invoice_number"],
                condition=models.Q(contractor__isnull=False) & ~models.Q(status="rejected"),
                name="invoice_number_once_per_contractor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.invoice_number}"

    @property
    def supplier(self) -> str:
        return self.contractor.name if self.contractor_id else self.supplier_name


class InvoiceApproval(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["approved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "approver"], name="one_approval_per_person_per_invoice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice} ✓ {self.approver_id}"


class EntryKind(models.TextChoices):
    COMMITMENT = "commitment", _("Commitment")
    ACTUAL = "actual", _("Actual")


class BudgetEntry(models.Model):
    """The ledger the dashboard sums: a work order's open commitment, and actuals from approved invoices
    and expenses. Entries are derived by budget.services and never typed in."""

    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="entries")
    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="budget_entries"
    )
    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="budget_entry"
    )
    expense = models.OneToOneField(
        Expense, on_delete=models.CASCADE, null=True, blank=True, related_name="budget_entry"
    )
    # The work order's contract, kept here so routing can check a contract's annual ceiling with one
    # index range instead of joining every work order of the contract (a second per request at a
    # million requests). Set from the work order on save.
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="budget_entries",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount excl. VAT"), **MONEY)
    booked_on = models.DateField(_("booked on"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = audit_trail()

    class Meta:
        verbose_name = _("budget entry")
        verbose_name_plural = _("budget entries")
        ordering = ["-booked_on", "-pk"]
        indexes = [
            # The dashboard's sums per line and its burn chart (actual per month of a year): the
            # amount is in the index, so the sums read the index alone (34 ms to 18 ms for a
            # corporation's year of 45,000 entries).
            models.Index(
                fields=["budget_line", "kind", "booked_on"],
                include=["amount"],
                name="budget_entry_line_kind_idx",
            ),
            models.Index(
                fields=["kind", "booked_on"],
                include=["amount"],
                name="budget_entry_kind_booked_idx",
            ),
            # A contract's use of its annual ceiling (routing).
            models.Index(
                fields=["contract", "booked_on"],
                include=["amount"],
                name="budget_entry_contract_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["work_order"],
                condition=models.Q(kind="commitment"),
                name="one_commitment_per_work_order",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="commitment", work_order__isnull=False)
                | models.Q(kind="actual", invoice__isnull=False, expense__isnull=True)
                | models.Q(kind="actual", invoice__isnull=True, expense__isnull=False),
                name="entry_has_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.budget_line.code})"

    def save(self, *args, **kwargs):
        if self.work_order_id and self.contract_id is None:
            self.contract_id = (
                WorkOrder.objects.filter(pk=self.work_order_id)
                .values_list("contract_id", flat=True)
                .first()
            )
        super().save(*args, **kwargs)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")
    SENT = "sent", _("Sent")


class MonthlyReport(models.Model):
    """One generated version of a month's report for Bo-Ex: draft → final → sent.

    The files and figures never change once written; a regenerated month gets a new version and the old
    versions stay readable. Only one version of a month can be final.
    """

    FROZEN_FIELDS = ("period", "version", "pdf", "csv_file", "xlsx_file", "figures", "sha256")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    pdf = models.FileField(_("PDF"), upload_to="reports/")
    csv_file = models.FileField(_("CSV"), upload_to="reports/", blank=True)
    xlsx_file = models.FileField(_("Excel"), upload_to="reports/", blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    sha256 = models.CharField(max_length=64)
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("made final at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_to = models.TextField(_("sent to"), blank=True)
    send_attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)
    last_send_error = models.TextField(_("last sending error"), blank=True)
    history = audit_trail(excluded_fields=["figures"])

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-period", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "version"], name="report_version_unique_per_period"
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(status__in=("final", "sent")),
                name="one_final_report_per_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} v{self.version}"

    def save(self, *args, **kwargs):
        frozen = getattr(self, "_frozen", None)
        if self.pk is not None and frozen is not None:
            now = self._frozen_values(set(frozen))
            if now != frozen:
                raise ValueError("A generated report is immutable; generate a new version instead.")
        super().save(*args, **kwargs)
        self._frozen = self._frozen_values()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._frozen = instance._frozen_values(set(field_names))
        return instance

    def _frozen_values(self, loaded: set[str] | None = None) -> dict[str, str]:
        names = [name for name in self.FROZEN_FIELDS if loaded is None or name in loaded]
        return {name: str(getattr(self, name)) for name in names}
