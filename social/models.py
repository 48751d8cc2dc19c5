import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseType(models.TextChoices):
    SUPPORT = "support", _("Support")
    NUISANCE = "nuisance", _("Nuisance")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ACTIVE = "active", _("Active")
    MEDIATION = "mediation", _("Mediation")
    CLOSED = "closed", _("Closed")
    REFERRED = "referred", _("Referred")


class SocialCase(models.Model):
    """A confidential case file; only the social role opens it (see social.selectors)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case_type = models.CharField(_("type"), max_length=16, choices=CaseType.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.INTAKE
    )
    title = models.CharField(_("title"), max_length=200)
    assigned_workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="social_cases",
        verbose_name=_("social workers"),
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("social case")
        verbose_name_plural = _("social cases")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.title
