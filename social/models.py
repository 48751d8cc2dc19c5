"""Confidential social case files: support trajectories and nuisance mediation.

Only the social role opens a case (social.selectors); every read leaves a CaseAccessLog row.
"""

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from zelfbeheer.housing.models import Home, Household


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


OPEN_CASE_STATUSES = (CaseStatus.INTAKE, CaseStatus.ACTIVE, CaseStatus.MEDIATION)
ENDED_CASE_STATUSES = (CaseStatus.CLOSED, CaseStatus.REFERRED)


class CaseSource(models.TextChoices):
    TENANT_PORTAL = "portal", _("Tenant via the portal")
    OFFICE = "office", _("Visit to the office")
    PHONE = "phone", _("Phone call")
    CORPORATION = "corporation", _("Referred by Bo-Ex")
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("Referred by the neighbourhood team")
    OWN_OBSERVATION = "own", _("Own observation")


class CaseOutcome(models.TextChoices):
    SOLVED = "solved", _("Solved")
    AGREEMENTS = "agreements", _("Agreements made")
    PARTLY_SOLVED = "partly_solved", _("Partly solved")
    NOT_SOLVED = "not_solved", _("Not solved")
    REFERRED = "referred", _("Referred on")
    WITHDRAWN = "withdrawn", _("Withdrawn by the resident")
    NO_CONTACT = "no_contact", _("No contact possible")


class NuisanceKind(models.TextChoices):
    NOISE = "noise", _("Noise")
    SMELL = "smell", _("Smell or smoke")
    WASTE = "waste", _("Waste or mess")
    ANIMALS = "animals", _("Pets or animals")
    BEHAVIOUR = "behaviour", _("Behaviour of neighbours or visitors")
    THREAT = "threat", _("Threats or intimidation")
    OTHER = "other", _("Something else")


class SinceWhen(models.TextChoices):
    DAYS = "days", _("A few days")
    WEEKS = "weeks", _("A few weeks")
    MONTHS = "months", _("A few months")
    LONGER = "longer", _("Longer than half a year")


class CaseNumberSequence(models.Model):
    """The last issued case number of a year; locked while issuing, so numbers never repeat."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class SocialCase(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=16, unique=True)
    case_type = models.CharField(_("type"), max_length=16, choices=CaseType.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.INTAKE
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    source = models.CharField(
        _("source"), max_length=24, choices=CaseSource.choices, default=CaseSource.OFFICE
    )
    intake_text = models.TextField(_("intake"), blank=True)
    nuisance_kind = models.CharField(
        _("kind of nuisance"), max_length=16, choices=NuisanceKind.choices, blank=True
    )
    since_when = models.CharField(
        _("since when"), max_length=16, choices=SinceWhen.choices, blank=True
    )
    # Threats, discrimination or psychological vulnerability: such cases are referred on, not mediated.
    mediation_unsuitable_reason = models.CharField(
        _("not suitable for mediation because"), max_length=300, blank=True
    )
    # A referring organisation (e.g. Bo-Ex) hears the outcome only, never the content.
    referrer_organisation = models.CharField(_("referred by"), max_length=200, blank=True)
    referrer_email = models.EmailField(_("referrer's e-mail"), blank=True)
    referrer_informed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Social workers are told of a tenant's report once; the sweep finds reports whose notice was lost.
    workers_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    assigned_workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="social_cases",
        verbose_name=_("social workers"),
    )
    repair_requests = models.ManyToManyField(
        "tickets.RepairRequest",
        blank=True,
        related_name="+",
        verbose_name=_("related repair requests"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    intake_due = models.DateField(_("intake due"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=CaseOutcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome explained"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    retain_until = models.DateField(_("kept until"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("social case")
        verbose_name_plural = _("social cases")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["status", "case_type"]),
            models.Index(
                fields=["retain_until"],
                condition=models.Q(anonymised_at__isnull=True),
                name="case_retention_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=("closed", "referred"), outcome__gt="")
                | ~models.Q(status__in=("closed", "referred")),
                name="ended_case_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATUSES

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.nuisance_kind:
            return _("%(type)s: %(kind)s") % {
                "type": self.get_case_type_display(),
                "kind": self.get_nuisance_kind_display(),
            }
        return str(self.get_case_type_display())

    @property
    def mediation_blocked_reason(self) -> str:
        """Threats, discrimination or psychological vulnerability: refer on, do not mediate."""
        if self.nuisance_kind == NuisanceKind.THREAT:
            return str(_("threats or intimidation were reported"))
        return self.mediation_unsuitable_reason


class PartyRole(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    SUBJECT = "subject", _("Subject of the report")
    INVOLVED = "involved", _("Involved")


class CaseParty(models.Model):
    """A household in a case, with its role; a party outside our homes is described in words."""

    case = models.ForeignKey(SocialCase, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_parties",
        verbose_name=_("household"),
    )
    # What the reporter told us when no household could be chosen ("the flat above mine").
    home = models.ForeignKey(
        Home, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    may_be_contacted = models.BooleanField(_("may be contacted"), default=True)
    contact_phone = models.CharField(_("phone"), max_length=32, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["role", "added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "household"],
                condition=models.Q(household__isnull=False),
                name="household_once_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.label}"

    @property
    def label(self) -> str:
        if self.household_id:
            return f"{self.household.name} ({self.household.home.address})"
        if self.home_id:
            return self.home.address
        return self.description


class NoteKind(models.TextChoices):
    NOTE = "note", _("Note")
    CONVERSATION = "conversation", _("Conversation")
    PHONE = "phone", _("Phone call")
    HOME_VISIT = "home_visit", _("Home visit")


class CaseNote(models.Model):
    """An internal working note; never shown to residents or in a household's export."""

    case = models.ForeignKey(SocialCase, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(
        _("kind"), max_length=16, choices=NoteKind.choices, default=NoteKind.NOTE
    )
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case} {self.created_at:%Y-%m-%d}"


class MediationStep(models.TextChoices):
    """The steps of neighbour mediation (CCV buurtbemiddeling), in order."""

    INTAKE = "intake", _("Intake with the reporter")
    FIRST_PARTY = "first_party", _("Talk with the first party")
    SECOND_PARTY = "second_party", _("Talk with the second party")
    JOINT_MEETING = "joint_meeting", _("Joint mediation meeting")
    FOLLOW_UP = "follow_up", _("Follow-up")


class CaseAction(models.Model):
    """Something to do by a date; mediation steps are actions too, so their deadlines sit on the list."""

    case = models.ForeignKey(SocialCase, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("what"), max_length=300)
    mediation_step = models.CharField(
        _("mediation step"), max_length=16, choices=MediationStep.choices, blank=True
    )
    not_before = models.DateField(_("not before"), null=True, blank=True)
    due_date = models.DateField(_("due"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_actions",
        verbose_name=_("who"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["done_at", "due_date", "pk"]
        indexes = [
            models.Index(
                fields=["due_date"],
                condition=models.Q(done_at__isnull=True),
                name="open_action_due",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "mediation_step"],
                condition=models.Q(done_at__isnull=True) & ~models.Q(mediation_step=""),
                name="one_open_action_per_mediation_step",
            )
        ]

    def __str__(self) -> str:
        return self.description


class SessionKind(models.TextChoices):
    FIRST_PARTY = "first_party", _("Talk with the first party")
    SECOND_PARTY = "second_party", _("Talk with the second party")
    JOINT_MEETING = "joint_meeting", _("Joint mediation meeting")
    FOLLOW_UP = "follow_up", _("Follow-up")


class MediationSession(models.Model):
    case = models.ForeignKey(SocialCase, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices)
    held_on = models.DateField(_("date"))
    participants = models.ManyToManyField(
        CaseParty, blank=True, related_name="sessions", verbose_name=_("parties present")
    )
    other_participants = models.CharField(_("others present"), max_length=300, blank=True)
    agreements = models.TextField(_("agreements reached"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()} {self.held_on}"


class ReferralTarget(models.TextChoices):
    CORPORATION = "corporation", _("Bo-Ex (payment problems, rent matters)")
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("Neighbourhood team of the municipality (care)")
    MEDIATION_SERVICE = "mediation_service", _("Neighbour mediation service")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other organisation")


class CaseReferral(models.Model):
    """A referral to another organisation, with the resident's consent (police: the legal ground)."""

    case = models.ForeignKey(SocialCase, on_delete=models.CASCADE, related_name="referrals")
    target = models.CharField(_("referred to"), max_length=24, choices=ReferralTarget.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    party = models.ForeignKey(
        CaseParty,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("about"),
    )
    consent_given = models.BooleanField(_("the resident agreed"), default=False)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    without_consent_ground = models.CharField(
        _("ground for referring without consent"), max_length=300, blank=True
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    referred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["referred_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_given=True) | ~models.Q(without_consent_ground=""),
                name="referral_has_consent_or_ground",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.get_target_display()}"


class AccessPart(models.TextChoices):
    LIST = "list", _("Case list")
    CASE = "case", _("Case file")
    NOTES = "notes", _("Notes")
    EXPORT = "export", _("Household export")
    ADMIN = "admin", _("Administration")


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The access log cannot be changed.")

    def delete(self):
        raise PermissionDenied("The access log cannot be changed.")


class CaseAccessLog(models.Model):
    """Who read which part of which case, when; append-only for the application."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    case = models.ForeignKey(
        SocialCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_log",
        verbose_name=_("case"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
    )
    part = models.CharField(_("part"), max_length=16, choices=AccessPart.choices)
    path = models.CharField(_("address"), max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.get_part_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The access log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The access log cannot be changed.")


class DigestSent(models.Model):
    """One daily action digest per worker per day, however often the task runs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_worker_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
