"""Synthetic but realistic data for the benchmark, bulk-loaded into the benchmark's own database.

`small` is the foundation (353 homes); `large` is a whole corporation: 100,000 homes, 1,000,000 repair
requests over ten years with their events, work orders, ratings and invoices, and 20,000 social cases.
Everything is fictional and generated from a fixed random seed, so two runs hold the same data.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

CHUNK = 20_000
BATCH = 5_000


@dataclass(frozen=True)
class Scale:
    name: str
    complexes: int
    buildings_per_complex: int
    homes_per_building: int
    requests: int
    years: int
    social_cases: int
    tenants: int
    contractors: int

    @property
    def homes(self) -> int:
        return self.complexes * self.buildings_per_complex * self.homes_per_building


SCALES = {
    "small": Scale("small", 1, 6, 59, 3_500, 10, 200, 353, 2),
    "large": Scale("large", 170, 6, 98, 1_000_000, 10, 20_000, 5_000, 40),
}

STREETS = ["Kaneelstraat", "Anijsstraat", "Kruidnagelstraat", "Saffraanstraat", "Gemberstraat",
           "Kardemomstraat", "Foelielaan", "Vanillehof", "Komijnweg", "Peperplein"]  # fmt: skip


@contextmanager
def explicit_timestamps(*models) -> Iterator[None]:
    """Let bulk_create keep the historical created_at values we give it (no auto_now_add)."""
    fields = [
        field
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now_add", False)
    ]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def _chunks(total: int, size: int = CHUNK) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


def is_seeded(scale: Scale) -> bool:
    from tickets.models import RepairRequest

    return RepairRequest.objects.count() >= scale.requests


def seed(scale: Scale, log=print) -> dict[str, int]:
    """Load everything; returns the row counts. Run on an empty, migrated database."""
    rng = random.Random(20261125)
    from zelfbeheer.accounts.services import role_groups_ensure

    role_groups_ensure()
    with transaction.atomic():
        categories, contractors, contracts = _reference(scale)
        homes, households = _housing(scale, rng)
        users = _users(scale, households, contractors)
        lines = _budget_lines(scale, categories)
    log(f"reference data, {len(homes)} homes and {len(households)} households loaded")
    counts = _requests(scale, rng, households, categories, contractors, contracts, lines, log)
    counts["social_cases"] = _social_cases(scale, rng, households, users["social"])
    with connection.cursor() as cursor:
        # VACUUM too: bulk-loaded tables have no visibility map yet, so no index-only scans.
        cursor.execute("VACUUM ANALYZE")
    return counts


def _reference(scale: Scale):
    from tickets.models import Contract, Contractor, WorkCategory
    from zelfbeheer.demo import _categories_load

    categories = _categories_load()
    leaves = list(WorkCategory.objects.filter(parent__isnull=False).select_related("parent"))
    trades = list(WorkCategory.objects.filter(parent__isnull=True))
    contractors = []
    contracts = []
    for index in range(scale.contractors):
        contractor = Contractor.objects.create(
            name=f"Vakbedrijf {index + 1:03d}",
            kvk_number=f"{90000000 + index}",
            email=f"opdrachten{index}@vakbedrijf.example.org",
            phone="030 123 45 67",
            is_active=True,
        )
        contract = Contract.objects.create(
            contractor=contractor,
            valid_from=date(2015, 1, 1),
            valid_until=date(2035, 12, 31),
            hourly_rate=Decimal("52.50"),
            call_out_fee=Decimal("35.00"),
            annual_ceiling=Decimal("5000000.00"),
            priority=index % 3 + 1,
        )
        contract.trades.set(trades)
        contractors.append(contractor)
        contracts.append(contract)
    del categories
    return leaves, contractors, contracts


def _housing(scale: Scale, rng: random.Random):
    from zelfbeheer.housing.models import Building, Complex, Home, Household

    complexes = Complex.objects.bulk_create(
        Complex(code=f"CPX-{index:04d}", name=f"Complex {index:04d}")
        for index in range(scale.complexes)
    )
    buildings = Building.objects.bulk_create(
        Building(complex=complex_, code=f"B{number}", name=f"Blok {number}")
        for complex_ in complexes
        for number in range(1, scale.buildings_per_complex + 1)
    )
    from tickets.models import Contract

    for contract in Contract.objects.all():
        contract.complexes.set(complexes)
    homes = []
    for building_index, building in enumerate(buildings):
        street = STREETS[building_index % len(STREETS)]
        postcode_number = 1000 + building_index // 2
        letters = "AB" if building_index % 2 == 0 else "CD"
        for number in range(1, scale.homes_per_building + 1):
            homes.append(
                Home(
                    unit_id=f"VHE{len(homes) + 1:07d}",
                    building=building,
                    street=street,
                    house_number=building_index * 1000 + number,
                    postcode=f"{postcode_number} {letters}",
                )
            )
    homes = Home.objects.bulk_create(homes, batch_size=BATCH)
    households = Household.objects.bulk_create(
        (
            Household(
                home=home,
                name=f"Huishouden {home.unit_id}",
                start_date=date(2000 + rng.randrange(25), 1, 1),
                phone="06 00000000",
            )
            for home in homes
        ),
        batch_size=BATCH,
    )
    return homes, households


def _users(scale: Scale, households, contractors) -> dict:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from zelfbeheer.accounts.models import User
    from zelfbeheer.accounts.roles import Role

    staff = {}
    for role in (Role.DESK, Role.SOCIAL, Role.BOARD, Role.COORDINATOR, Role.CORPORATION,
                 Role.CONTRACTOR):  # fmt: skip
        user = User.objects.create_user(email=f"bench-{role.value}@example.org", password=None)
        user.groups.add(Group.objects.get(name=role.value))
        if role in (Role.SOCIAL, Role.BOARD, Role.COORDINATOR):
            TOTP.activate(user, generate_totp_secret())
        staff[role.value] = user
    contractors[0].users.add(staff["contractor"])
    tenant_group = Group.objects.get(name=Role.TENANT.value)
    tenants = User.objects.bulk_create(
        (
            User(email=f"bench-tenant-{index}@example.org", password="!", preferred_language="nl")
            for index in range(scale.tenants)
        ),
        batch_size=BATCH,
    )
    User.groups.through.objects.bulk_create(
        (User.groups.through(user_id=user.pk, group_id=tenant_group.pk) for user in tenants),
        batch_size=BATCH,
    )
    from zelfbeheer.housing.models import Household

    Household.members.through.objects.bulk_create(
        (
            Household.members.through(household_id=household.pk, user_id=user.pk)
            for household, user in zip(households, tenants, strict=False)
        ),
        batch_size=BATCH,
    )
    staff["tenants"] = tenants
    return staff


def _budget_lines(scale: Scale, leaves) -> dict[int, object]:
    from budget.models import BudgetLine, FinancialYear

    this_year = timezone.localdate().year
    trades = sorted({leaf.parent for leaf in leaves}, key=lambda trade: trade.code)
    lines = {}
    for year in range(this_year - scale.years, this_year + 1):
        financial_year = FinancialYear.objects.create(
            year=year, baseline_cost_per_home=Decimal("1150.00")
        )
        line = BudgetLine.objects.create(
            financial_year=financial_year,
            code="DO-01",
            name="Dagelijks onderhoud",
            rgs_code="WBedOnhOiw",
            annual_amount=Decimal(scale.homes) * Decimal("900.00"),
        )
        line.categories.set(trades)
        lines[year] = line
    return lines


def _requests(scale, rng, households, leaves, contractors, contracts, lines, log) -> dict[str, int]:
    from budget.models import BudgetEntry, EntryKind, Invoice, InvoiceStatus
    from tickets.constants import Channel, RequestStatus, Responsibility, Urgency, WorkOrderStatus
    from tickets.models import Rating, RepairRequest, RequestEvent, RequestNumberSequence, WorkOrder
    from zelfbeheer.accounts.models import User

    now = timezone.now()
    span = timedelta(days=365 * scale.years)
    entered_by = User.objects.get(email="bench-coordinator@example.org")
    per_year: dict[int, int] = {}
    counts = {"requests": 0, "events": 0, "work_orders": 0, "ratings": 0, "invoices": 0}
    urgencies = [Urgency.EMERGENCY] * 5 + [Urgency.URGENT] * 15 + [Urgency.NORMAL] * 80
    channels = [Channel.WEB] * 6 + [Channel.DESK] * 2 + [Channel.PHONE] * 2
    with explicit_timestamps(RepairRequest, RequestEvent, WorkOrder, Rating, Invoice):
        # Oldest first, so numbers follow receipt within each year.
        offsets = sorted(rng.random() for _ in range(scale.requests))
        for chunk in _chunks(scale.requests):
            requests = []
            for index in chunk:
                created = now - span + span * offsets[index]
                age = now - created
                household = households[rng.randrange(len(households))]
                leaf = leaves[rng.randrange(len(leaves))]
                urgency = urgencies[rng.randrange(100)]
                responsibility = rng.choices(
                    [Responsibility.FOUNDATION, Responsibility.CORPORATION, Responsibility.TENANT],
                    [85, 10, 5],
                )[0]
                lead = timedelta(hours=rng.lognormvariate(4.2, 0.9))
                # 3% are still open after their lead time (waiting for parts, a second visit), but
                # not for half a year: a desk would have closed or cancelled those long ago.
                done = age > lead and (rng.random() < 0.97 or age > timedelta(days=182))
                status = (
                    (RequestStatus.CLOSED if age > timedelta(days=30) else RequestStatus.TECHNICALLY_DONE)
                    if done
                    else rng.choice([RequestStatus.REGISTERED, RequestStatus.ASSESSING, RequestStatus.IN_PROGRESS])
                )  # fmt: skip
                year = timezone.localtime(created).year
                per_year[year] = per_year.get(year, 0) + 1
                requests.append(
                    RepairRequest(
                        number=f"M-{year}-{per_year[year]:05d}",
                        home_id=household.home_id,
                        household_id=household.pk,
                        channel=channels[rng.randrange(10)],
                        category_id=leaf.pk,
                        description="Synthetische melding voor de benchmark.",
                        urgency=urgency,
                        responsibility=responsibility,
                        status=status,
                        created_at=created,
                        resolution_due=created + timedelta(days=10),
                        response_due=created + timedelta(days=5),
                        completed_at=created + lead if done else None,
                    )
                )
            requests = RepairRequest.objects.bulk_create(requests, batch_size=BATCH)
            events, orders = [], []
            for repair_request in requests:
                events.append(
                    RequestEvent(request_id=repair_request.pk, kind="received", created_at=repair_request.created_at)
                )  # fmt: skip
                if repair_request.responsibility != Responsibility.FOUNDATION:
                    continue
                contract = contracts[rng.randrange(len(contracts))]
                done = repair_request.completed_at is not None
                orders.append(
                    WorkOrder(
                        request_id=repair_request.pk,
                        contractor_id=contract.contractor_id,
                        contract_id=contract.pk,
                        status=WorkOrderStatus.TECHNICALLY_DONE
                        if done
                        else WorkOrderStatus.AWARDED,
                        created_at=repair_request.created_at + timedelta(minutes=1),
                        contractor_notified_at=repair_request.created_at + timedelta(minutes=1),
                        accepted_at=repair_request.created_at + timedelta(hours=2),
                        estimate=Decimal(rng.randrange(60, 400)),
                        completed_at=repair_request.completed_at,
                        total_cost=Decimal(rng.randrange(50, 450)) if done else None,
                    )
                )
                events.append(
                    RequestEvent(request_id=repair_request.pk, kind="contractor_assigned",
                                 data={"contractor": contract.contractor.name},
                                 created_at=repair_request.created_at + timedelta(hours=2))
                )  # fmt: skip
                if done:
                    events.append(
                        RequestEvent(request_id=repair_request.pk, kind="completed", created_at=repair_request.completed_at)
                    )  # fmt: skip
            RequestEvent.objects.bulk_create(events, batch_size=BATCH)
            orders = WorkOrder.objects.bulk_create(orders, batch_size=BATCH)
            ratings, invoices = [], []
            for order in orders:
                if order.completed_at is None:
                    continue
                if rng.random() < 0.3:
                    ratings.append(
                        Rating(request_id=order.request_id, score=rng.choices([1, 2, 3, 4, 5], [3, 4, 10, 38, 45])[0],
                               created_at=order.completed_at + timedelta(days=1))
                    )  # fmt: skip
                year = timezone.localtime(order.completed_at).year
                if year in lines and rng.random() < 0.6:
                    invoices.append(
                        Invoice(
                            contractor_id=order.contractor_id,
                            invoice_number=f"F{order.pk}",
                            invoice_date=timezone.localdate(order.completed_at),
                            work_order_id=order.pk,
                            budget_line=lines[year],
                            amount_excl_vat=order.total_cost,
                            vat_amount=(order.total_cost * Decimal("0.21")).quantize(
                                Decimal("0.01")
                            ),
                            amount_incl_vat=order.total_cost
                            + (order.total_cost * Decimal("0.21")).quantize(Decimal("0.01")),
                            status=InvoiceStatus.PAID,
                            entered_by=entered_by,
                            entered_at=order.completed_at + timedelta(days=3),
                            approved_at=order.completed_at + timedelta(days=5),
                            paid_on=timezone.localdate(order.completed_at) + timedelta(days=20),
                        )
                    )
            Rating.objects.bulk_create(ratings, batch_size=BATCH, ignore_conflicts=True)
            invoices = Invoice.objects.bulk_create(invoices, batch_size=BATCH)
            contract_of = {order.pk: order.contract_id for order in orders}
            BudgetEntry.objects.bulk_create(
                (
                    BudgetEntry(
                        budget_line_id=invoice.budget_line_id,
                        invoice_id=invoice.pk,
                        work_order_id=invoice.work_order_id,
                        contract_id=contract_of[invoice.work_order_id],
                        kind=EntryKind.ACTUAL,
                        amount=invoice.amount_excl_vat,
                        booked_on=invoice.invoice_date,
                        description=invoice.invoice_number,
                    )
                    for invoice in invoices
                ),
                batch_size=BATCH,
            )
            counts["requests"] += len(requests)
            counts["events"] += len(events)
            counts["work_orders"] += len(orders)
            counts["ratings"] += len(ratings)
            counts["invoices"] += len(invoices)
            if counts["requests"] % 100_000 < CHUNK:
                log(f"{counts['requests']:,} repair requests loaded")
    for year, last in per_year.items():
        RequestNumberSequence.objects.update_or_create(year=year, defaults={"last_number": last})
    return counts


def _social_cases(scale, rng, households, worker) -> int:
    from social.models import (
        CaseAction,
        CaseNote,
        CaseParty,
        CaseStatus,
        CaseType,
        PartyRole,
        SocialCase,
    )

    now = timezone.now()
    span = timedelta(days=365 * scale.years)
    with explicit_timestamps(SocialCase, CaseNote, CaseAction):
        for chunk in _chunks(scale.social_cases):
            cases = []
            for index in chunk:
                opened = now - span * rng.random()
                # A case runs for months, not years: those opened in the last half year may still
                # be open (in any status), older ones were closed or referred.
                if now - opened < timedelta(days=182):
                    status = rng.choice(list(CaseStatus))
                else:
                    status = rng.choice([CaseStatus.CLOSED, CaseStatus.REFERRED])
                ended = status in (CaseStatus.CLOSED, CaseStatus.REFERRED)
                cases.append(
                    SocialCase(
                        number=f"S-{index:08d}",
                        case_type=rng.choice(list(CaseType)),
                        status=status,
                        title="Synthetische casus",
                        opened_at=opened,
                        intake_due=timezone.localdate(opened) + timedelta(days=7),
                        outcome="solved" if ended else "",
                        closed_at=opened + timedelta(days=60) if ended else None,
                    )
                )
            cases = SocialCase.objects.bulk_create(cases, batch_size=BATCH)
            SocialCase.assigned_workers.through.objects.bulk_create(
                (
                    SocialCase.assigned_workers.through(socialcase_id=case.pk, user_id=worker.pk)
                    for case in cases
                    if rng.random() < 0.3
                ),
                batch_size=BATCH,
            )
            CaseParty.objects.bulk_create(
                (
                    CaseParty(
                        case_id=case.pk,
                        role=PartyRole.REPORTER,
                        household_id=households[rng.randrange(len(households))].pk,
                    )
                    for case in cases
                ),
                batch_size=BATCH,
            )
            CaseNote.objects.bulk_create(
                (
                    CaseNote(case_id=case.pk, text="Notitie", author_id=worker.pk, created_at=case.opened_at)
                    for case in cases
                ),
                batch_size=BATCH,
            )  # fmt: skip
            CaseAction.objects.bulk_create(
                (
                    CaseAction(
                        case_id=case.pk,
                        description="Bellen",
                        due_date=case.intake_due,
                        done_at=None if case.status in ("intake", "active", "mediation") else case.closed_at,
                        created_at=case.opened_at,
                    )
                    for case in cases
                ),
                batch_size=BATCH,
            )  # fmt: skip
    return scale.social_cases
