"""The reparatiewijzer: emergencies, tenant's own jobs, the subscription, and shared-area duplicates."""

import pytest
from django.urls import reverse

from tickets.constants import RequestStatus, Responsibility, Urgency
from tickets.models import AlsoAffected, RepairRequest, WorkCategory

from ..factories import HouseholdFactory, WorkCategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def defect_url(category: WorkCategory) -> str:
    return reverse("tickets:report_defect", args=[category.parent.code, category.code])


@pytest.fixture
def tenant_client(client, routable):
    client.force_login(routable.household.members.first())
    return client


def test_the_start_page_lists_trades_and_the_trade_page_its_defects(tenant_client, routable):
    start = tenant_client.get(reverse("tickets:request_new")).content.decode()
    trade = tenant_client.get(
        reverse("tickets:report_trade", args=[routable.category.parent.code])
    ).content.decode()

    assert routable.category.parent.name in start
    assert defect_url(routable.category) in trade
    assert (
        tenant_client.get(reverse("tickets:report_trade", args=["no-such-trade"])).status_code
        == 404
    )
    assert (
        tenant_client.get(reverse("tickets:report_defect", args=["plumbing", "nope"])).status_code
        == 404
    )


def test_an_emergency_shows_the_phone_number_first_and_can_still_be_saved(
    tenant_client, routable, settings
):
    flooding = WorkCategoryFactory(
        code="flooding",
        parent=routable.category.parent,
        default_urgency=Urgency.EMERGENCY,
        responsibility="foundation",
    )

    first = tenant_client.get(defect_url(flooding))
    form_page = tenant_client.get(defect_url(flooding) + "?doorgaan=1")
    tenant_client.post(defect_url(flooding), {"description": "Water uit het plafond"})

    assert first.templates[0].name == "tickets/report_emergency.html"
    assert settings.EMERGENCY_PHONE_NUMBER in first.content.decode()
    assert 'name="description"' in form_page.content.decode()
    assert RepairRequest.objects.get().urgency == Urgency.EMERGENCY


def test_a_tenants_own_job_needs_a_reason_and_goes_to_the_desk(tenant_client, routable):
    washer = WorkCategoryFactory(
        code="tap-washer", parent=routable.category.parent, responsibility="tenant"
    )

    page = tenant_client.get(defect_url(washer)).content.decode()
    refused = tenant_client.post(defect_url(washer), {"description": "Kraan drupt"})
    tenant_client.post(
        defect_url(washer), {"description": "Kraan drupt", "tenant_reason": "Ik kan niet bukken."}
    )

    assert "Besluit kleine herstellingen" in page
    assert refused.status_code == 200
    repair_request = RepairRequest.objects.get()
    assert repair_request.responsibility == Responsibility.TENANT
    assert repair_request.tenant_reason == "Ik kan niet bukken."
    assert not repair_request.work_orders.exists()


def test_with_the_service_subscription_a_small_repair_is_done_for_the_tenant(
    tenant_client, routable
):
    routable.household.has_service_subscription = True
    routable.household.save()
    washer = WorkCategoryFactory(
        code="tap-washer", parent=routable.category.parent, responsibility="tenant"
    )

    page = tenant_client.get(defect_url(washer)).content.decode()
    tenant_client.post(defect_url(washer), {"description": "Kraan drupt"})

    assert 'name="tenant_reason"' not in page
    repair_request = RepairRequest.objects.get()
    assert repair_request.booked_to_subscription is True
    assert repair_request.responsibility == Responsibility.FOUNDATION
    assert repair_request.work_orders.count() == 1


def test_shared_area_reports_are_on_the_building_and_neighbours_join_instead_of_duplicating(
    client, routable
):
    stairwell = WorkCategoryFactory(
        code="stairwell-light",
        parent=routable.category.parent,
        responsibility="foundation",
        is_shared_area=True,
    )
    neighbour = HouseholdFactory(tenant=True, home__building=routable.household.home.building)
    elsewhere = HouseholdFactory(tenant=True)
    client.force_login(routable.household.members.first())
    client.post(defect_url(stairwell), {"description": "Lamp in het portiek is kapot"})
    first = RepairRequest.objects.get()

    client.force_login(neighbour.members.first())
    neighbour_page = client.get(defect_url(stairwell)).content.decode()
    joined = client.post(reverse("tickets:affects_me_too", args=[first.uuid]))
    client.post(reverse("tickets:affects_me_too", args=[first.uuid]))
    neighbour_list = client.get(reverse("tickets:my_requests")).content.decode()
    client.force_login(elsewhere.members.first())
    elsewhere_page = client.get(defect_url(stairwell)).content.decode()
    elsewhere_join = client.post(reverse("tickets:affects_me_too", args=[first.uuid]))

    assert (first.home, first.building) == (None, routable.household.home.building)
    assert first.number in neighbour_page
    assert joined.status_code == 302
    assert AlsoAffected.objects.filter(request=first).count() == 1
    assert first.number in neighbour_list
    assert first.number not in elsewhere_page
    assert elsewhere_join.status_code == 404
    assert RepairRequest.objects.count() == 1


def test_a_closed_shared_report_cannot_be_joined(client, routable):
    stairwell = WorkCategoryFactory(
        code="stairwell-light",
        parent=routable.category.parent,
        responsibility="foundation",
        is_shared_area=True,
    )
    client.force_login(routable.household.members.first())
    client.post(defect_url(stairwell), {"description": "Lamp in het portiek is kapot"})
    RepairRequest.objects.update(status=RequestStatus.CLOSED)

    response = client.post(
        reverse("tickets:affects_me_too", args=[RepairRequest.objects.get().uuid])
    )

    assert response.status_code == 302
    assert not AlsoAffected.objects.exists()


def test_categories_speak_the_tenants_language_with_dutch_as_fallback(tenant_client, routable):
    trade = routable.category.parent
    trade.name_tr = "Sıhhi tesisat"
    trade.save()
    tenant = routable.household.members.first()
    tenant.preferred_language = "tr"
    tenant.save()

    page = tenant_client.get(reverse("tickets:request_new")).content.decode()
    trade_page = tenant_client.get(
        reverse("tickets:report_trade", args=[trade.code])
    ).content.decode()

    assert "Sıhhi tesisat" in page
    assert (
        routable.category.name_nl in trade_page
    )  # no Turkish name yet: the Dutch one, not an empty link
