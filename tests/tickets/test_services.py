import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from budget.models import BudgetEntry, EntryKind
from tickets import services
from tickets.constants import RequestStatus, Responsibility, Urgency, WorkOrderStatus
from tickets.models import RepairRequest, WorkOrder
from tickets.selectors import responsibility_for, token_hash
from tickets.sla import sla_due_dates

from ..factories import ContractFactory, ContractorFactory, HouseholdFactory, WorkCategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def submit(routable, **overrides):
    values = {
        "household": routable.household,
        "reporter": routable.household.members.first(),
        "category": routable.category,
        "description": "De kraan in de keuken lekt.",
    }
    return services.repair_request_submit(**{**values, **overrides})


def test_submit_numbers_requests_per_year_and_routes_on_commit(routable):
    first = submit(routable)
    second = submit(routable)

    assert re.fullmatch(r"M-\d{4}-00001", first.number)
    assert second.number.endswith("-00002")
    first.refresh_from_db()
    assert first.status == RequestStatus.IN_PROGRESS
    work_order = first.work_orders.get()
    assert work_order.contractor == routable.contract.contractor
    assert "Contractprioriteit 1" in work_order.routing_reason
    contractor_mails = [m for m in mail.outbox if routable.contract.contractor.email in m.to]
    assert len(contractor_mails) == 2
    assert "/werkorders/link/" in contractor_mails[0].body


def test_submit_sends_the_tenant_a_confirmation_with_the_number(routable):
    repair_request = submit(routable)

    tenant_mails = [m for m in mail.outbox if routable.household.members.first().email in m.to]
    confirmations = [
        m
        for m in tenant_mails
        if "ontvangen" in m.subject.lower() or "received" in m.subject.lower()
    ]
    assert len(confirmations) == 1
    assert repair_request.number in confirmations[0].subject


def test_routing_twice_creates_one_work_order_and_one_mail(routable):
    repair_request = submit(routable)
    mails_before = len(mail.outbox)

    again = services.repair_request_route(repair_request.pk)

    assert WorkOrder.objects.filter(request=repair_request).count() == 1
    assert again == repair_request.work_orders.get()
    assert services.work_order_notify_contractor(again.pk) is False
    assert len(mail.outbox) == mails_before


def test_routing_without_a_valid_contract_flags_the_request_for_the_desk(routable):
    routable.contract.valid_until = date(2001, 1, 1)
    routable.contract.save()

    repair_request = submit(routable)

    repair_request.refresh_from_db()
    assert repair_request.routing_flagged is True
    assert repair_request.status == RequestStatus.ASSESSING
    assert not WorkOrder.objects.exists()
    assert repair_request.events.filter(kind="routing_failed").exists()


def test_routing_skips_contracts_for_another_complex_and_prefers_priority(routable):
    other_household = HouseholdFactory()
    ContractFactory(trades=[routable.category.parent], complexes=[], priority=0)
    preferred = ContractFactory(
        trades=[routable.category.parent],
        complexes=[routable.household.home.building.complex],
        priority=0,
        contractor=ContractorFactory(name="Eerste keus"),
    )
    assert other_household.home.building.complex == routable.household.home.building.complex

    repair_request = submit(routable)

    assert repair_request.work_orders.get().contractor == preferred.contractor


def test_routing_spreads_load_between_equal_priorities(routable):
    second = ContractFactory(
        trades=[routable.category.parent],
        complexes=[routable.household.home.building.complex],
        priority=1,
    )
    first_request = submit(routable)
    second_request = submit(routable)

    contractors = {
        first_request.work_orders.get().contractor,
        second_request.work_orders.get().contractor,
    }
    assert contractors == {routable.contract.contractor, second.contractor}


def test_tenant_responsibility_is_not_routed(routable):
    washer = WorkCategoryFactory(
        code="tap-washer", parent=routable.category.parent, responsibility=Responsibility.TENANT
    )

    repair_request = submit(routable, category=washer)

    assert repair_request.responsibility == Responsibility.TENANT
    assert not WorkOrder.objects.exists()


def test_responsibility_follows_the_phase_dates(db):
    category = WorkCategoryFactory()
    category.parent.responsibility_rules.create(
        responsibility=Responsibility.CORPORATION, effective_from=date(2020, 1, 1)
    )
    category.parent.responsibility_rules.create(
        responsibility=Responsibility.FOUNDATION, effective_from=date(2026, 7, 1)
    )

    assert responsibility_for(category, date(2026, 6, 30)) == Responsibility.CORPORATION
    assert responsibility_for(category, date(2026, 7, 1)) == Responsibility.FOUNDATION


def test_sla_due_dates_skip_weekends_and_kings_day(db):
    # Friday 24 April 2026, 10:00: Monday 27 April is King's Day.
    received = datetime(2026, 4, 24, 10, 0, tzinfo=AMSTERDAM)

    response_due, resolution_due = sla_due_dates(Urgency.NORMAL, received)

    assert response_due.date() == date(2026, 5, 4)  # Tue 28, Wed 29, Thu 30, Fri 1, Mon 4
    assert resolution_due.date() == date(2026, 5, 11)


def test_completion_commits_the_reported_cost_once(routable):
    repair_request = submit(routable)
    work_order = repair_request.work_orders.get()

    services.work_order_complete(
        work_order=work_order, total_cost=Decimal("84.50"), hours=Decimal("1.5")
    )
    services.work_order_complete(work_order=work_order, total_cost=Decimal("999.00"))

    work_order.refresh_from_db()
    repair_request.refresh_from_db()
    assert work_order.status == WorkOrderStatus.TECHNICALLY_DONE
    assert repair_request.status == RequestStatus.TECHNICALLY_DONE
    entry = BudgetEntry.objects.get()
    assert (entry.kind, entry.amount) == (EntryKind.COMMITMENT, Decimal("84.50"))


def test_notification_link_token_is_stored_only_as_a_hash(routable):
    repair_request = submit(routable)
    work_order = repair_request.work_orders.get()
    body = next(m.body for m in mail.outbox if routable.contract.contractor.email in m.to)
    raw_token = re.search(r"/werkorders/link/([^/\s]+)/", body).group(1)

    assert len(raw_token) >= 43  # 32 random bytes, url-safe base64
    assert work_order.access_token_hash == token_hash(raw_token)
    assert raw_token not in work_order.access_token_hash


def test_submit_without_home_or_building_is_refused(routable):
    with pytest.raises(ValueError):
        services.repair_request_submit(category=routable.category, description="Lekt")
    assert not RepairRequest.objects.exists()
