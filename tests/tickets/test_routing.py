"""Routing rules and the contractor's side: eligibility, ranking, ceilings, decline chain, deadlines."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from budget.models import BudgetEntry, EntryKind
from tickets import services, work_orders
from tickets.constants import RequestStatus, Urgency, WorkOrderStatus
from tickets.models import RepairRequest, WorkOrder

from ..factories import ContractFactory, TradeFactory, WorkCategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def submit(routable, household=None, **extra):
    return services.repair_request_submit(
        household=household or routable.household, category=extra.pop("category", routable.category),
        description="De kraan lekt.", **extra,
    )  # fmt: skip


def second_contract(routable, **fields):
    return ContractFactory(
        trades=[routable.category.parent],
        complexes=[routable.household.home.building.complex],
        **fields,
    )


def test_an_inactive_contractor_or_another_complex_or_trade_is_not_eligible(routable):
    routable.contract.contractor.is_active = False
    routable.contract.contractor.save()
    ContractFactory(trades=[routable.category.parent], complexes=[])  # no complex
    ContractFactory(
        trades=[TradeFactory(code="heating", name="Verwarming")],
        complexes=[routable.household.home.building.complex],
    )

    repair_request = submit(routable)

    repair_request.refresh_from_db()
    assert repair_request.routing_flagged is True
    assert not WorkOrder.objects.exists()


def test_a_contract_naming_defects_covers_only_those(routable):
    other_defect = WorkCategoryFactory(
        code="blocked-drain", parent=routable.category.parent, responsibility="foundation"
    )
    routable.contract.categories.set([other_defect])
    specialist = second_contract(routable, priority=2)

    repair_request = submit(routable)

    assert repair_request.work_orders.get().contractor == specialist.contractor


def test_a_contract_at_its_annual_ceiling_is_skipped(routable):
    routable.contract.annual_ceiling = Decimal("100.00")
    routable.contract.save()
    earlier = submit(routable)
    work_order = earlier.work_orders.get()
    services.work_order_complete(work_order=work_order, total_cost=Decimal("100.00"))
    backup = second_contract(routable, priority=5)

    later = submit(routable)

    assert later.work_orders.get().contractor == backup.contractor
    assert "prioriteit 5" in later.work_orders.get().routing_reason.lower()


def test_equal_priority_goes_to_the_least_recently_assigned(routable):
    other = second_contract(routable)
    first = submit(routable)
    work_orders.work_order_accept(work_order=first.work_orders.get(), actor=None)
    services.work_order_complete(work_order=first.work_orders.get(), total_cost=Decimal("10"))

    second = submit(routable)

    assert first.work_orders.get().contractor != second.work_orders.get().contractor
    assert {first.work_orders.get().contractor, second.work_orders.get().contractor} == {
        routable.contract.contractor,
        other.contractor,
    }


def test_decline_goes_to_the_next_contractor_and_nobody_left_goes_to_the_desk(routable):
    other = second_contract(routable, priority=2)
    repair_request = submit(routable)
    first_order = repair_request.work_orders.get()

    work_orders.work_order_decline(work_order=first_order, reason="Geen monteur vrij", actor=None)
    second_order = repair_request.work_orders.exclude(pk=first_order.pk).get()
    work_orders.work_order_decline(work_order=second_order, reason="Te ver weg", actor=None)

    repair_request.refresh_from_db()
    assert second_order.contractor == other.contractor
    assert repair_request.routing_flagged is True
    assert repair_request.status == RequestStatus.ASSESSING
    history = list(
        repair_request.events.filter(kind="contractor_declined").values_list("data", flat=True)
    )
    assert [entry["reason"] for entry in history] == ["Geen monteur vrij", "Te ver weg"]


def test_a_decline_needs_a_reason_and_an_accepted_order_cannot_be_declined(routable):
    repair_request = submit(routable)
    order = repair_request.work_orders.get()

    with pytest.raises(work_orders.WorkOrderRefused):
        work_orders.work_order_decline(work_order=order, reason=" ", actor=None)
    work_orders.work_order_accept(work_order=order, actor=None)
    with pytest.raises(work_orders.WorkOrderRefused):
        work_orders.work_order_decline(work_order=order, reason="Toch niet", actor=None)


def test_not_accepted_in_time_goes_to_the_next_contractor(routable):
    other = second_contract(routable, priority=2)
    repair_request = submit(routable)
    first_order = repair_request.work_orders.get()

    assert work_orders.work_orders_expire_unaccepted(now=timezone.now()) == 0
    assert (
        work_orders.work_orders_expire_unaccepted(
            now=first_order.accept_before + timedelta(seconds=1)
        )
        == 1
    )

    first_order.refresh_from_db()
    assert first_order.status == WorkOrderStatus.CANCELLED
    assert (
        repair_request.work_orders.get(status=WorkOrderStatus.REGISTERED).contractor
        == other.contractor
    )
    assert repair_request.events.filter(kind="acceptance_expired").exists()


def test_emergencies_must_be_accepted_within_minutes(routable):
    flooding = WorkCategoryFactory(
        code="flooding",
        parent=routable.category.parent,
        default_urgency=Urgency.EMERGENCY,
        responsibility="foundation",
    )
    emergency = submit(routable, category=flooding)
    normal = submit(routable)

    emergency_window = emergency.work_orders.get().accept_before - emergency.created_at
    normal_window = normal.work_orders.get().accept_before - normal.created_at
    assert emergency_window <= timedelta(minutes=31)
    assert normal_window >= timedelta(hours=23)


def test_accepting_tells_the_tenant_and_commits_the_estimate(routable):
    repair_request = submit(routable)
    order = repair_request.work_orders.get()
    tenant_email = routable.household.members.first().email
    before = len([m for m in mail.outbox if tenant_email in m.to])

    work_orders.work_order_accept(work_order=order, actor=None, estimate=Decimal("120.00"))
    work_orders.work_order_accept(work_order=order, actor=None, estimate=Decimal("999.00"))

    commitment = BudgetEntry.objects.get(kind=EntryKind.COMMITMENT)
    assert commitment.amount == Decimal("120.00")
    assert len([m for m in mail.outbox if tenant_email in m.to]) == before + 1
    services.work_order_complete(work_order=order, total_cost=Decimal("110.00"), cause_found="wear")
    # The reported cost replaces the estimate; it becomes actual when the invoice is approved.
    assert list(BudgetEntry.objects.values_list("kind", "amount")) == [
        (EntryKind.COMMITMENT, Decimal("110.00"))
    ]


def test_nobody_home_records_the_call_out_fee_and_asks_for_a_new_appointment(routable):
    routable.contract.call_out_fee = Decimal("35.00")
    routable.contract.save()
    repair_request = submit(routable)
    order = repair_request.work_orders.get()
    with pytest.raises(work_orders.WorkOrderRefused):
        work_orders.work_order_attempt_record(work_order=order, outcome="not_home", actor=None)
    work_orders.work_order_accept(work_order=order, actor=None)
    start = timezone.now() + timedelta(days=1)
    services.work_order_plan(work_order=order, start=start, end=start + timedelta(hours=2))

    attempt = work_orders.work_order_attempt_record(
        work_order=order, outcome="not_home", actor=None
    )

    order.refresh_from_db()
    assert attempt.call_out_fee == Decimal("35.00")
    assert (order.status, order.appointment_start) == (WorkOrderStatus.AWARDED, None)
    assert repair_request.events.filter(kind="missed_appointment").exists()


def test_the_household_is_reminded_the_day_before_once(routable):
    repair_request = submit(routable)
    order = repair_request.work_orders.get()
    work_orders.work_order_accept(work_order=order, actor=None)
    tomorrow_ten = timezone.make_aware(
        timezone.datetime.combine(
            timezone.localdate() + timedelta(days=1), timezone.datetime.min.time()
        )
    ) + timedelta(hours=10)
    services.work_order_plan(
        work_order=order, start=tomorrow_ten, end=tomorrow_ten + timedelta(hours=2)
    )

    assert work_orders.appointment_reminders_send() == 1
    assert work_orders.appointment_reminders_send() == 0
    assert repair_request.events.filter(kind="appointment_reminder").count() == 1


def test_contracts_ending_within_60_days_are_listed(routable):
    soon = ContractFactory(
        valid_from=date(2020, 1, 1), valid_until=timezone.localdate() + timedelta(days=30)
    )
    ContractFactory(
        valid_from=date(2020, 1, 1), valid_until=timezone.localdate() + timedelta(days=90)
    )

    assert list(work_orders.contracts_expiring()) == [soon]


def test_an_expired_link_can_ask_for_a_new_one_sent_to_the_registered_address(client, routable):
    repair_request = submit(routable)
    body = next(m.body for m in mail.outbox if routable.contract.contractor.email in m.to)
    token = re.search(r"/werkorders/link/([^/\s]+)/", body).group(1)
    WorkOrder.objects.update(
        access_token_expires_at=timezone.now() - timedelta(minutes=1),
        contractor_notified_at=timezone.now() - timedelta(hours=1),
    )
    before = len([m for m in mail.outbox if routable.contract.contractor.email in m.to])

    page = client.get(reverse("tickets:work_order_link", args=[token]))
    renewed = client.post(reverse("tickets:work_order_link_renew", args=[token]))
    again = client.post(reverse("tickets:work_order_link_renew", args=[token]))

    assert reverse("tickets:work_order_link_renew", args=[token]) in page.content.decode()
    assert renewed.status_code == 200
    assert again.status_code == 404  # the old link was replaced by the new one
    contractor_mails = [m for m in mail.outbox if routable.contract.contractor.email in m.to]
    assert len(contractor_mails) == before + 1
    assert (
        client.post(reverse("tickets:work_order_link_renew", args=["nonsense"])).status_code == 404
    )
    assert RepairRequest.objects.get() == repair_request


def test_contractor_pages_offer_only_what_the_state_allows(client, routable):
    repair_request = submit(routable)
    order = repair_request.work_orders.get()
    body = next(m.body for m in mail.outbox if routable.contract.contractor.email in m.to)
    client.get(re.search(r"/werkorders/link/[^/\s]+/", body).group(0))
    url = reverse("tickets:work_order_detail", args=[order.uuid])

    too_early = client.post(
        url, {"action": "complete", "notes": "Klaar", "total_cost": "10", "cause_found": "wear"}
    )
    unknown = client.post(url, {"action": "delete-everything"})
    client.post(url, {"action": "accept", "estimate": "80,00"})

    order.refresh_from_db()
    assert too_early.status_code == unknown.status_code == 302
    assert order.status == WorkOrderStatus.AWARDED
    assert order.estimate == Decimal("80.00")


def test_an_open_emergency_is_on_the_desks_call_now_list_until_accepted(client, routable):
    from zelfbeheer.accounts.roles import Role

    from ..factories import UserFactory

    flooding = WorkCategoryFactory(
        code="flooding",
        parent=routable.category.parent,
        default_urgency=Urgency.EMERGENCY,
        responsibility="foundation",
    )
    emergency = submit(routable, category=flooding)
    client.force_login(UserFactory(role=Role.DESK))

    before = client.get(reverse("tickets:desk_queue")).content.decode()
    work_orders.work_order_accept(work_order=emergency.work_orders.get(), actor=None)
    after = client.get(reverse("tickets:desk_queue")).content.decode()

    assert 'id="call-now-heading"' in before and emergency.number in before
    assert 'id="call-now-heading"' not in after


def test_the_coordinator_sees_contracts_ending_soon(client, routable):
    from zelfbeheer.accounts.roles import Role

    from ..factories import UserFactory

    routable.contract.valid_until = timezone.localdate() + timedelta(days=20)
    routable.contract.save()
    client.force_login(UserFactory(role=Role.COORDINATOR))

    page = client.get(reverse("coordinator_settings")).content.decode()

    assert routable.contract.contractor.name in page


def test_the_contractor_adds_photos_when_reporting_the_work_done(client, routable):
    from .photo_corpus import webp

    repair_request = submit(routable)
    order = repair_request.work_orders.get()
    body = next(m.body for m in mail.outbox if routable.contract.contractor.email in m.to)
    client.get(re.search(r"/werkorders/link/[^/\s]+/", body).group(0))
    url = reverse("tickets:work_order_detail", args=[order.uuid])
    client.post(url, {"action": "accept"})

    client.post(
        url,
        {
            "action": "complete",
            "notes": "Klaar",
            "total_cost": "60",
            "cause_found": "resident",
            "photos": [webp()],
        },
    )

    order.refresh_from_db()
    assert order.status == WorkOrderStatus.TECHNICALLY_DONE
    assert order.cause_found == "resident"
    assert repair_request.photos.count() == 1


def test_a_negative_estimate_is_refused_and_a_moved_appointment_is_reminded_again(routable):
    repair_request = submit(routable)
    order = repair_request.work_orders.get()
    with pytest.raises(work_orders.WorkOrderRefused):
        work_orders.work_order_accept(work_order=order, actor=None, estimate=Decimal("-500"))
    work_orders.work_order_accept(work_order=order, actor=None)
    start = timezone.now() + timedelta(days=1)
    services.work_order_plan(work_order=order, start=start, end=start + timedelta(hours=1))
    WorkOrder.objects.filter(pk=order.pk).update(reminder_sent_at=timezone.now())

    services.work_order_plan(
        work_order=order, start=start + timedelta(days=2), end=start + timedelta(days=2, hours=1)
    )

    order.refresh_from_db()
    assert order.reminder_sent_at is None
    assert not BudgetEntry.objects.filter(amount__lt=0).exists()
