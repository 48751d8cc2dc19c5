"""A tenant follows a request: add information, cancel, reopen, rate, the appointment and notifications."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tickets import services, work_orders
from tickets.constants import RequestStatus
from tickets.models import CallListEntry, Rating, RepairRequest, RequestEvent
from zelfbeheer.housing.models import ContactPreference

from ..factories import HouseholdFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def submitted(routable):
    return services.repair_request_submit(
        household=routable.household,
        reporter=routable.household.members.first(),
        category=routable.category,
        description="De kraan lekt.",
    )


@pytest.fixture
def tenant_client(client, routable):
    client.force_login(routable.household.members.first())
    return client


def accept(repair_request):
    work_orders.work_order_accept(work_order=repair_request.work_orders.get(), actor=None)


def complete(repair_request):
    services.work_order_complete(
        work_order=repair_request.work_orders.get(), total_cost=Decimal("50")
    )
    repair_request.refresh_from_db()
    return repair_request


def url(name, repair_request):
    return reverse(f"tickets:{name}", args=[repair_request.uuid])


def test_adding_information_appears_on_the_timeline(tenant_client, submitted):
    tenant_client.post(
        url("request_add_info", submitted), {"message": "Het lekt nu ook onder het aanrecht."}
    )
    empty = tenant_client.post(url("request_add_info", submitted), {"message": ""})

    page = tenant_client.get(url("request_detail", submitted)).content.decode()
    assert "Het lekt nu ook onder het aanrecht." in page
    assert empty.status_code == 400
    assert submitted.events.filter(kind="tenant_info").count() == 1


def test_cancel_is_possible_before_a_contractor_is_assigned_only(
    tenant_client, routable, submitted
):
    """`submitted` was routed at once; a second request finds no contract and can be cancelled."""
    refused = tenant_client.post(url("request_cancel", submitted))
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.IN_PROGRESS
    assert refused.status_code == 302

    routable.contract.valid_until = routable.contract.valid_from
    routable.contract.save()  # nobody to route to: the request waits at the desk
    waiting = services.repair_request_submit(
        household=routable.household, category=routable.category, description="Tweede melding"
    )
    tenant_client.post(url("request_cancel", waiting))
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.CANCELLED


def test_reopen_within_14_days_routes_again_and_not_after(tenant_client, submitted):
    done = complete(submitted)

    tenant_client.post(url("request_reopen", done), {"reason": "Het lekt nog steeds."})
    done.refresh_from_db()
    assert done.status == RequestStatus.IN_PROGRESS
    assert done.reopened_count == 1
    assert done.work_orders.count() == 2

    complete_again = done.work_orders.filter(status="REG").get()
    services.work_order_complete(work_order=complete_again, total_cost=Decimal("10"))
    RepairRequest.objects.filter(pk=done.pk).update(
        completed_at=timezone.now() - timedelta(days=15)
    )
    too_late = tenant_client.post(url("request_reopen", done), {"reason": "Weer kapot."})
    done.refresh_from_db()
    assert too_late.status_code == 302
    assert done.status == RequestStatus.TECHNICALLY_DONE
    assert done.reopened_count == 1


def test_rating_only_after_completion_and_only_once(tenant_client, submitted):
    tenant_client.post(url("request_rate", submitted), {"score": "5"})
    assert not Rating.objects.exists()

    complete(submitted)
    out_of_range = tenant_client.post(url("request_rate", submitted), {"score": "9"})
    tenant_client.post(url("request_rate", submitted), {"score": "4", "comment": "Netjes gewerkt."})
    tenant_client.post(url("request_rate", submitted), {"score": "1"})

    assert out_of_range.status_code == 400
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (4, "Netjes gewerkt.")


def test_appointment_calendar_file_for_the_household_only(tenant_client, client, submitted):
    assert tenant_client.get(url("request_calendar", submitted)).status_code == 404
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    services.work_order_plan(
        work_order=submitted.work_orders.get(), start=start, end=start + timedelta(hours=2)
    )

    response = tenant_client.get(url("request_calendar", submitted))
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    detail = tenant_client.get(url("request_detail", submitted)).content.decode()

    assert response["Content-Type"].startswith("text/calendar")
    assert event.decoded("dtstart") == start
    assert submitted.number in str(event.get("summary"))
    assert url("request_calendar", submitted) in detail
    client.force_login(HouseholdFactory(tenant=True).members.first())
    assert client.get(url("request_calendar", submitted)).status_code == 404


def test_updates_go_by_e_mail_or_onto_the_call_list(routable):
    phone_household = HouseholdFactory(tenant=True, contact_preference=ContactPreference.PHONE)
    tenant_email = routable.household.members.first().email

    by_mail = services.repair_request_submit(
        household=routable.household, reporter=routable.household.members.first(),
        category=routable.category, description="Per mail",
    )  # fmt: skip
    by_phone = services.repair_request_submit(
        household=phone_household, reporter=phone_household.members.first(),
        category=routable.category, description="Bel mij",
    )  # fmt: skip
    accept(by_mail)
    accept(by_phone)

    updates = [m for m in mail.outbox if tenant_email in m.to and by_mail.number in m.subject]
    assert len(updates) == 2  # the confirmation and "contractor assigned" (once accepted)
    assert not [m for m in mail.outbox if phone_household.members.first().email in m.to]
    entry = CallListEntry.objects.get()
    assert (entry.household, entry.request, entry.event.kind) == (
        phone_household,
        by_phone,
        "contractor_assigned",
    )


def test_a_notification_is_sent_once(routable, submitted):
    accept(submitted)
    event = submitted.events.get(kind="contractor_assigned")
    before = len(mail.outbox)

    from tickets.notifications import household_notify_of_event

    assert household_notify_of_event(event.pk) == 0
    assert len(mail.outbox) == before


def test_completion_mail_asks_for_a_rating(routable, submitted):
    complete(submitted)

    body = next(
        m.body for m in reversed(mail.outbox) if routable.household.members.first().email in m.to
    )
    assert url("request_detail", submitted) + "#beoordelen" in body


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def _add_requests(routable, count):
    year = timezone.localdate().year
    start = RepairRequest.objects.count()
    RepairRequest.objects.bulk_create(
        RepairRequest(
            number=f"M-{year}-{90000 + start + index:05d}",
            household=routable.household,
            home=routable.household.home,
            category=routable.category,
            description="Bulk",
        )
        for index in range(count)
    )


def test_query_counts_are_equal_at_5_and_500_requests(tenant_client, routable, submitted):
    complete(submitted)
    RequestEvent.objects.bulk_create(
        RequestEvent(request=submitted, kind="tenant_info", message=f"Regel {i}") for i in range(3)
    )
    _add_requests(routable, 4)
    small = (
        _queries(tenant_client, reverse("tickets:my_requests")),
        _queries(tenant_client, url("request_detail", submitted)),
    )
    _add_requests(routable, 495)
    RequestEvent.objects.bulk_create(
        RequestEvent(request=submitted, kind="tenant_info", message=f"Meer {i}") for i in range(50)
    )

    large = (
        _queries(tenant_client, reverse("tickets:my_requests")),
        _queries(tenant_client, url("request_detail", submitted)),
    )

    assert RepairRequest.objects.count() == 500
    assert small == large
    assert large[0] <= 10 and large[1] <= 10  # issue 9: at most 10 queries a page


def test_the_desk_works_through_the_call_list(client, routable):
    from zelfbeheer.accounts.roles import Role

    from ..factories import UserFactory

    phone_household = HouseholdFactory(tenant=True, contact_preference=ContactPreference.LETTER)
    repair_request = services.repair_request_submit(
        household=phone_household, category=routable.category, description="Schrijf mij"
    )
    accept(repair_request)
    entry = CallListEntry.objects.get()
    desk = UserFactory(role=Role.DESK)
    client.force_login(desk)

    page = client.get(reverse("tickets:desk_call_list")).content.decode()
    client.post(reverse("tickets:desk_call_list"), {"entry": entry.pk})
    client.post(reverse("tickets:desk_call_list"), {"entry": "not-a-number"})
    after = client.get(reverse("tickets:desk_call_list")).content.decode()

    entry.refresh_from_db()
    assert repair_request.number in page
    assert (entry.done_by, entry.done_at is not None) == (desk, True)
    assert repair_request.number not in after
    client.force_login(phone_household.members.first())
    assert client.get(reverse("tickets:desk_call_list")).status_code == 403
