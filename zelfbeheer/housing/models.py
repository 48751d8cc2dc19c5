import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_postcode


class Complex(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("complex")
        verbose_name_plural = _("complexes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """A building in a complex; its shared areas (stairwell, roof, courtyard) are reported on the building."""

    complex = models.ForeignKey(Complex, on_delete=models.PROTECT, related_name="buildings")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["complex__code", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["complex", "code"], name="building_code_unique_in_complex"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Home(models.Model):
    """A rental unit (verhuureenheid), identified by the corporation's unit id."""

    unit_id = models.CharField(_("unit id"), max_length=32, unique=True)
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="homes")
    street = models.CharField(_("street"), max_length=200)
    house_number = models.PositiveIntegerField(_("house number"))
    house_number_addition = models.CharField(_("addition"), max_length=16, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, validators=[validate_postcode])
    city = models.CharField(_("city"), max_length=100, default="Utrecht")

    class Meta:
        verbose_name = _("home")
        verbose_name_plural = _("homes")
        ordering = ["street", "house_number", "house_number_addition"]
        constraints = [
            models.UniqueConstraint(
                fields=["postcode", "house_number", "house_number_addition"],
                name="home_address_unique",
            )
        ]
        indexes = [models.Index(fields=["postcode", "house_number"])]

    def __str__(self) -> str:
        return self.address

    @property
    def address(self) -> str:
        addition = f"-{self.house_number_addition}" if self.house_number_addition else ""
        return f"{self.street} {self.house_number}{addition}"


class ContactPreference(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call from the office")
    LETTER = "letter", _("Letter")


class Household(models.Model):
    """The people living in a home under one tenancy (huurovereenkomst)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    home = models.ForeignKey(Home, on_delete=models.PROTECT, related_name="households")
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("tenancy start"))
    end_date = models.DateField(_("tenancy end"), null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="households", verbose_name=_("members")
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )
    contact_preference = models.CharField(
        _("contact preference"),
        max_length=16,
        choices=ContactPreference.choices,
        default=ContactPreference.EMAIL,
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    has_service_subscription = models.BooleanField(_("service subscription"), default=False)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["home"],
                condition=models.Q(end_date__isnull=True),
                name="one_current_household_per_home",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="tenancy_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.home})"
