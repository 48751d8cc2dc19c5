"""Factories for the shared housing domain and users, with traits that read like the situation."""

from datetime import date
from decimal import Decimal

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.utils import timezone

from budget.models import BudgetLine, FinancialYear
from tickets.constants import Responsibility, Urgency
from tickets.models import Contract, Contractor, ResponsibilityRule, WorkCategory
from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import MFA_REQUIRED_ROLES, Role, roles_of
from zelfbeheer.housing.models import Building, Complex, Home, Household


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            group, _ = Group.objects.get_or_create(name=Role(extracted).value)
            self.groups.add(group)
        if create:
            self.save()

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        """Roles that must use MFA get a TOTP authenticator unless `totp=False` is passed."""
        wants_totp = (
            extracted if extracted is not None else bool(roles_of(self) & MFA_REQUIRED_ROLES)
        )
        self.__dict__.pop("_zelfbeheer_roles", None)
        if create and wants_totp:
            TOTP.activate(self, generate_totp_secret())


class ComplexFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complex
        django_get_or_create = ("code",)

    code = "LOMBOK-507"
    name = "Lombok 507"


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    complex = factory.SubFactory(ComplexFactory)
    code = factory.Sequence(lambda n: f"B{n}")
    name = factory.LazyAttribute(lambda o: f"Blok {o.code}")


class HomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Home

    unit_id = factory.Sequence(lambda n: f"VHE{n:06d}")
    building = factory.SubFactory(BuildingFactory)
    street = "Kaneelstraat"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "3531 KA"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household
        skip_postgeneration_save = True

    home = factory.SubFactory(HomeFactory)
    name = factory.Sequence(lambda n: f"Huishouden {n}")
    start_date = date(2020, 1, 1)
    phone = "06 12345678"

    @factory.post_generation
    def tenant(self, create, extracted, **kwargs):
        """`HouseholdFactory(tenant=True)` adds a tenant user; pass a user to add that one."""
        if not create or not extracted:
            return
        user = extracted if isinstance(extracted, User) else UserFactory(role=Role.TENANT)
        self.members.add(user)


class TradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkCategory
        django_get_or_create = ("code",)

    code = "plumbing"
    name = "Loodgieterswerk"
    parent = None


class WorkCategoryFactory(factory.django.DjangoModelFactory):
    """A defect under a trade; `foundation=True` makes the foundation responsible for the trade."""

    class Meta:
        model = WorkCategory
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = "leaking-tap"
    name = "Lekkende kraan"
    parent = factory.SubFactory(TradeFactory)
    default_urgency = Urgency.NORMAL

    @factory.post_generation
    def responsibility(self, create, extracted, **kwargs):
        if create and extracted:
            ResponsibilityRule.objects.update_or_create(
                category=self,
                effective_from=date(2000, 1, 1),
                defaults={"responsibility": extracted},
            )


class ContractorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contractor

    name = factory.Sequence(lambda n: f"Installateur {n}")
    email = factory.Sequence(lambda n: f"opdrachten{n}@contractor.example.org")
    kvk_number = factory.Sequence(lambda n: f"{10000000 + n}")


class ContractFactory(factory.django.DjangoModelFactory):
    """A contract valid from 2000 to 2099 covering the given trades and complexes."""

    class Meta:
        model = Contract
        skip_postgeneration_save = True

    contractor = factory.SubFactory(ContractorFactory)
    valid_from = date(2000, 1, 1)
    valid_until = date(2099, 12, 31)
    hourly_rate = Decimal("50.00")
    annual_ceiling = Decimal("100000.00")
    priority = 1

    @factory.post_generation
    def trades(self, create, extracted, **kwargs):
        if create and extracted:
            self.trades.set(extracted)

    @factory.post_generation
    def complexes(self, create, extracted, **kwargs):
        if create and extracted:
            self.complexes.set(extracted)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine
        skip_postgeneration_save = True

    financial_year = factory.LazyFunction(
        lambda: FinancialYear.objects.get_or_create(year=timezone.localdate().year)[0]
    )
    code = factory.Sequence(lambda n: f"DO-{n:02d}")
    name = "Dagelijks onderhoud"
    rgs_code = "WBedOnhOiw"
    annual_amount = Decimal("100000.00")

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


FOUNDATION = Responsibility.FOUNDATION
