"""Intake for tenants who do not use the website: search, report on their behalf, receipt, visit log."""

import pytest
from django.urls import reverse

from tickets.constants import Channel
from tickets.intake import households_find
from tickets.models import RepairRequest, Visit
from zelfbeheer.accounts.roles import Role
from zelfbeheer.housing.models import ContactPreference

from ..factories import HomeFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk_user():
    return UserFactory(role=Role.DESK)


@pytest.fixture
def desk_client(client, desk_user):
    client.force_login(desk_user)
    return client


def test_one_search_field_finds_by_postcode_street_or_name(db):
    target = HouseholdFactory(
        name="Huishouden Öztürk",
        home=HomeFactory(
            street="Anijsstraat", postcode="3531 KB", house_number=12, house_number_addition="A"
        ),
    )
    HouseholdFactory(home=HomeFactory(street="Anijsstraat", postcode="3531 KB", house_number=14))

    assert list(households_find("3531kb 12")) == [target]
    assert list(households_find("3531 KB 12 a")) == [target]
    assert list(households_find("Anijsstraat 12")) == [target]
    assert list(households_find("Öztürk")) == [
        target
    ]  # SQLite folds ASCII case only; PostgreSQL folds all
    assert len(households_find("3531KB")) == 2
    assert list(households_find("x")) == []


def test_a_request_filed_at_the_desk_keeps_the_preference_and_prints_a_receipt(
    desk_client, desk_user, routable
):
    household = routable.household
    response = desk_client.post(
        reverse("tickets:intake_household", args=[household.uuid]),
        {
            "channel": Channel.PHONE,
            "category": routable.category.pk,
            "description": "Mevrouw belde: de kraan lekt.",
            "contact_preference": ContactPreference.LETTER,
            "availability_slots": ["thu-morning"],
        },
    )

    repair_request = RepairRequest.objects.get()
    receipt = desk_client.get(response["Location"]).content.decode()
    household.refresh_from_db()
    assert (repair_request.channel, repair_request.entered_by, repair_request.reporter) == (
        Channel.PHONE,
        desk_user,
        None,
    )
    assert household.contact_preference == ContactPreference.LETTER
    assert repair_request.number in receipt
    assert repair_request.work_orders.count() == 1


def test_bad_intake_input_changes_nothing(desk_client, routable):
    response = desk_client.post(
        reverse("tickets:intake_household", args=[routable.household.uuid]),
        {"channel": "carrier-pigeon", "category": "abc", "description": ""},
    )

    assert response.status_code == 200
    assert not RepairRequest.objects.exists()
    assert (
        desk_client.get(
            reverse("tickets:intake_household", args=["3f1d9a52-0000-4000-8000-000000000000"])
        ).status_code
        == 404
    )


def test_visits_are_logged_with_and_without_a_household(desk_client, desk_user, routable):
    desk_client.post(
        reverse("tickets:visit_new"),
        {"reason": "rent", "referred_to": "Bo-Ex", "household": routable.household.uuid},
    )
    desk_client.post(
        reverse("tickets:visit_new"), {"reason": "information", "household": "not-a-uuid"}
    )
    desk_client.post(reverse("tickets:visit_new"), {"reason": "???"})

    page = desk_client.get(reverse("tickets:visits_today")).content.decode()
    assert Visit.objects.count() == 2
    assert Visit.objects.get(reason="rent").household == routable.household
    assert "Bo-Ex" in page


@pytest.mark.parametrize("role", [Role.TENANT, Role.CONTRACTOR])
def test_intake_is_for_the_desk_only(client, routable, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("tickets:intake_search"), {"q": "3531"}).status_code == 403
    assert (
        client.get(reverse("tickets:intake_household", args=[routable.household.uuid])).status_code
        == 403
    )
