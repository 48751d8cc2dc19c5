"""The desk: queue with filters and presets, bulk actions, triage of one request, conflicts."""

import re
from datetime import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tables2 import RequestConfig

from tickets import services
from tickets.constants import RequestStatus, Responsibility, Urgency
from tickets.models import AlsoAffected, Referral, RepairRequest, SavedQueueFilter
from tickets.queue_cache import DESK_QUEUE, QUEUE_MODELS, queue_changed
from tickets.triage import repair_request_forward_to_corporation
from zelfbeheer.accounts.roles import Role

from ..factories import HouseholdFactory, UserFactory, WorkCategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk_client(client):
    client.force_login(UserFactory(role=Role.DESK))
    return client


@pytest.fixture
def unrouted(routable):
    """Requests that wait at the desk: no contract covers them yet."""
    routable.contract.valid_until = routable.contract.valid_from
    routable.contract.save()
    return [
        services.repair_request_submit(
            household=HouseholdFactory(tenant=True),
            category=routable.category,
            description=f"Melding {n}",
        )
        for n in range(3)
    ]


def queue(client, **params) -> str:
    return client.get(reverse("tickets:desk_queue"), params).content.decode()


def test_presets_and_search_narrow_the_queue(desk_client, routable, unrouted):
    routable.contract.valid_until = routable.contract.valid_from.replace(year=2099)
    routable.contract.save()
    routed = services.repair_request_submit(
        household=routable.household, category=routable.category, description="Wordt gerouteerd"
    )

    new = queue(desk_client, preset="new")
    waiting = queue(desk_client, preset="waiting_for_contractor")
    by_number = queue(desk_client, q=unrouted[1].number)
    by_street = queue(desk_client, q=routable.household.home.street)

    assert all(request.number in new for request in unrouted)
    assert routed.number not in new
    assert routed.number in waiting and unrouted[0].number not in waiting
    assert unrouted[1].number in by_number and unrouted[0].number not in by_number
    assert routed.number in by_street

    contractor = routable.contract.contractor
    by_contractor = queue(desk_client, contractor=contractor.pk)
    assert routed.number in by_contractor and unrouted[0].number not in by_contractor

    desk_worker = UserFactory(role=Role.DESK)
    repair_request_forward_to_corporation(repair_request=unrouted[2], actor=desk_worker)
    forwarded = queue(desk_client, preset="forwarded")
    assert unrouted[2].number in forwarded and unrouted[0].number not in forwarded
    assert forwarded.count(unrouted[2].number) == 1


def test_bad_filter_input_gives_a_page_not_an_error(desk_client, unrouted):
    for params in (
        {"status": "XYZ"},
        {"building": "abc"},
        {"since": "gisteren"},  # links from before the browser marked new arrivals
        {"page": "999"},
        {"sort": "nope"},
    ):
        assert desk_client.get(reverse("tickets:desk_queue"), params).status_code in (200, 404)


def test_htmx_refresh_returns_only_the_table_with_what_the_browser_needs_to_mark_arrivals(
    desk_client, routable, unrouted
):
    first = desk_client.get(reverse("tickets:desk_queue")).content.decode()
    shown_at = re.search(r'id="queue"[^>]*data-shown-at="([^"]+)"', first).group(1)
    arrival = services.repair_request_submit(
        household=HouseholdFactory(tenant=True),
        category=routable.category,
        description="Net binnen",
    )

    fragment = desk_client.get(reverse("tickets:desk_queue"), HTTP_HX_REQUEST="true")
    html = fragment.content.decode()

    assert "<h1>" not in html
    rows = re.findall(r'data-received="([^"]+)">.*?portal-queue-link">([^<]+)<', html)
    received = {number: moment for moment, number in rows}
    # desk.js marks the rows received after the previous page was shown: this one, not the others.
    assert datetime.fromisoformat(received[arrival.number]) > datetime.fromisoformat(shown_at)
    assert datetime.fromisoformat(received[unrouted[0].number]) < datetime.fromisoformat(shown_at)
    assert 'data-shown-at="' in html and 'hx-get="/balie/"' in html


def test_saved_views_belong_to_their_user(desk_client, client, unrouted):
    desk_client.post(
        reverse("tickets:desk_save_filter"), {"name": "Mijn spoed", "query": "urgency=urgent"}
    )
    page = queue(desk_client)

    assert SavedQueueFilter.objects.get().name == "Mijn spoed"
    assert "Mijn spoed" in page


def test_bulk_urgency_and_forward(desk_client, unrouted):
    desk_client.post(
        reverse("tickets:desk_bulk"),
        {
            "action": "urgency",
            "urgency": Urgency.URGENT,
            "selection": [unrouted[0].pk, unrouted[1].pk],
        },
    )
    desk_client.post(
        reverse("tickets:desk_bulk"), {"action": "forward", "selection": [unrouted[2].pk]}
    )

    assert set(
        RepairRequest.objects.filter(urgency=Urgency.URGENT).values_list("pk", flat=True)
    ) == {
        unrouted[0].pk,
        unrouted[1].pk,
    }
    referral = Referral.objects.get()
    assert referral.request == unrouted[2]
    unrouted[2].refresh_from_db()
    assert unrouted[2].responsibility == Responsibility.CORPORATION


def test_bulk_merge_keeps_every_reporter_informed(desk_client, unrouted):
    desk_client.post(
        reverse("tickets:desk_bulk"), {"action": "merge", "selection": [r.pk for r in unrouted]}
    )

    main = unrouted[0]
    for duplicate in unrouted[1:]:
        duplicate.refresh_from_db()
        assert duplicate.duplicate_of == main
        assert duplicate.status == RequestStatus.CANCELLED
    assert AlsoAffected.objects.filter(request=main).count() == 2


def test_bulk_without_selection_changes_nothing(desk_client, unrouted):
    response = desk_client.post(
        reverse("tickets:desk_bulk"), {"action": "urgency", "urgency": "urgent"}
    )

    assert response.status_code == 302
    assert not RepairRequest.objects.filter(urgency=Urgency.URGENT).exists()


def test_triage_sets_category_urgency_and_logs_an_override_with_reason(
    desk_client, routable, unrouted
):
    target = unrouted[0]
    other = WorkCategoryFactory(
        code="blocked-drain", parent=routable.category.parent, responsibility="foundation"
    )
    url = reverse("tickets:desk_triage", args=[target.uuid])

    refused = desk_client.post(
        url,
        {"outcome": "save", "version": target.version, "category": other.pk, "urgency": "urgent",
         "responsibility": "corporation"},
    )  # fmt: skip
    desk_client.post(
        url,
        {"outcome": "save", "version": target.version, "category": other.pk, "urgency": "urgent",
         "responsibility": "corporation", "override_reason": "Constructiefout, Bo-Ex"},
    )  # fmt: skip

    target.refresh_from_db()
    assert refused.status_code == 409
    assert (target.category, target.urgency, target.responsibility) == (
        other,
        "urgent",
        "corporation",
    )
    assert target.events.filter(
        kind="responsibility_override", message__contains="Constructiefout"
    ).exists()


def test_a_second_save_on_an_old_version_is_refused_and_overwrites_nothing(
    desk_client, client, unrouted
):
    target = unrouted[0]
    url = reverse("tickets:desk_triage", args=[target.uuid])
    stale_version = target.version
    base = {
        "version": stale_version,
        "category": target.category_id,
        "responsibility": "foundation",
    }

    desk_client.post(url, {**base, "outcome": "save", "urgency": "urgent"})
    colleague = type(client)()
    colleague.force_login(UserFactory(role=Role.DESK))
    second = colleague.post(url, {**base, "outcome": "save", "urgency": "emergency"})

    target.refresh_from_db()
    assert second.status_code == 409
    assert target.urgency == "urgent"


def test_explain_own_job_and_merge_from_the_triage_page(desk_client, unrouted):
    first, second = unrouted[0], unrouted[1]

    desk_client.post(
        reverse("tickets:desk_triage", args=[first.uuid]),
        {
            "outcome": "own_job",
            "version": first.version,
            "advice": "Een nieuw kraanleertje kost € 2 bij de bouwmarkt.",
        },
    )
    desk_client.post(
        reverse("tickets:desk_triage", args=[second.uuid]),
        {"outcome": "merge", "into_number": "M-0000-99999"},
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.responsibility) == (RequestStatus.CLOSED, Responsibility.TENANT)
    assert second.duplicate_of is None  # unknown number: refused, nothing changed


def test_save_and_next_opens_the_next_request(desk_client, unrouted):
    target = unrouted[0]

    response = desk_client.post(
        reverse("tickets:desk_triage", args=[target.uuid]),
        {"outcome": "save_next", "version": target.version, "category": target.category_id,
         "urgency": "normal", "responsibility": "foundation"},
    )  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] in {
        reverse("tickets:desk_triage", args=[r.uuid]) for r in unrouted[1:]
    }


@pytest.mark.parametrize("role", [Role.TENANT, Role.CONTRACTOR, Role.BOARD])
def test_only_the_desk_and_coordinator_reach_the_desk(client, unrouted, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("tickets:desk_queue")).status_code == 403
    assert client.get(reverse("tickets:desk_triage", args=[unrouted[0].uuid])).status_code == 403
    assert (
        client.post(
            reverse("tickets:desk_bulk"), {"action": "forward", "selection": [unrouted[0].pk]}
        ).status_code
        == 403
    )


def _queries(client, htmx: bool = False, **params) -> int:
    headers = {"HX-Request": "true"} if htmx else {}
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("tickets:desk_queue"), params, headers=headers).status_code == 200
    return len(context.captured_queries)


def _bulk_requests(routable, count, start):
    RepairRequest.objects.bulk_create(
        RepairRequest(
            number=f"M-2099-{start + index:05d}",
            household=routable.household,
            home=routable.household.home,
            category=routable.category,
            description="Bulk",
        )
        for index in range(count)
    )


def test_queue_query_count_is_the_same_at_20_and_2000_requests(desk_client, routable):
    _bulk_requests(routable, 20, 0)

    def counts() -> tuple[int, int, int]:
        # A cold cache: the bulk load went around the models, and the cost to bound is a fresh read.
        queue_changed()
        return (
            _queries(desk_client),
            _queries(desk_client, preset="at_risk", q="Bulk"),
            _queries(desk_client, htmx=True, preset="all_open"),
        )

    small = counts()
    _bulk_requests(routable, 1980, 20)

    large = counts()

    assert small == large
    # A page at most 10 queries, the htmx refresh of the table at most 5 (issue 9).
    assert large[0] <= 10 and large[1] <= 10
    assert large[2] <= 5


def test_the_desk_pauses_and_resumes_the_clock(desk_client, unrouted):
    target = unrouted[0]
    due_before = target.resolution_due

    desk_client.post(reverse("tickets:desk_sla_pause", args=[target.uuid]), {"reason": "no_access"})
    target.refresh_from_db()
    paused = target.sla_paused_since is not None
    bad = desk_client.post(
        reverse("tickets:desk_sla_pause", args=[target.uuid]), {"reason": "holiday"}
    )
    desk_client.post(reverse("tickets:desk_sla_resume", args=[target.uuid]))
    target.refresh_from_db()

    assert paused
    assert bad.status_code == 302
    assert target.sla_paused_since is None
    assert target.resolution_due >= due_before
    assert target.events.filter(kind="sla_paused").exists()


def test_the_start_page_counts_overdue_and_at_risk(desk_client, unrouted):
    RepairRequest.objects.filter(pk=unrouted[0].pk).update(sla_state="overdue")
    RepairRequest.objects.filter(pk=unrouted[1].pk).update(sla_state="at_risk")

    page = queue(desk_client)
    overdue = queue(desk_client, sla_state="overdue")

    assert 'href="?sla_state=overdue">1 ' in page
    assert unrouted[0].number in overdue and unrouted[1].number not in overdue


def test_repeated_defects_are_signalled_and_can_be_forwarded(desk_client, routable, unrouted):
    from tickets.signals_planned import repeated_defects

    home_requests = [
        services.repair_request_submit(
            household=routable.household, category=routable.category, description=f"Weer {n}"
        )
        for n in range(3)
    ]
    signals = repeated_defects()
    page = desk_client.get(reverse("tickets:desk_signals")).content.decode()

    assert [(signal.place, signal.count) for signal in signals] == [("home", 3)]
    assert all(request.number in page for request in home_requests)
    latest = signals[0].requests[0]
    desk_client.post(
        reverse("tickets:desk_triage", args=[latest.uuid]),
        {"outcome": "forward", "version": latest.version, "summary": "Herhaald defect"},
    )
    assert Referral.objects.get().request == latest


def test_signals_query_count_does_not_grow(desk_client, routable):
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            desk_client.get(reverse("tickets:desk_signals"))
        return len(context.captured_queries)

    for n in range(3):
        services.repair_request_submit(
            household=routable.household, category=routable.category, description=f"A{n}"
        )
    count()  # the first visit creates the office settings row
    few = count()
    for _group in range(5):
        household = HouseholdFactory(tenant=True)
        for n in range(3):
            services.repair_request_submit(
                household=household, category=routable.category, description=f"B{n}"
            )

    assert count() == few


def test_bo_ex_marks_a_referral_received(client, desk_client, unrouted):
    desk_client.post(
        reverse("tickets:desk_bulk"), {"action": "forward", "selection": [unrouted[0].pk]}
    )
    referral = Referral.objects.get()
    bo_ex = UserFactory(role=Role.CORPORATION)
    client.force_login(bo_ex)

    page = client.get(reverse("tickets:referrals")).content.decode()
    client.post(reverse("tickets:referrals"), {"referral": referral.pk})
    client.post(reverse("tickets:referrals"), {"referral": "x"})

    referral.refresh_from_db()
    assert unrouted[0].number in page
    assert referral.acknowledged_by == bo_ex
    client.force_login(UserFactory(role=Role.TENANT))
    assert client.get(reverse("tickets:referrals")).status_code == 403


def test_the_queue_filters_by_complex(desk_client, routable, unrouted):
    from ..factories import BuildingFactory, ComplexFactory

    other_complex = ComplexFactory(code="ANDERS", name="Ander complex")
    elsewhere = services.repair_request_submit(
        household=HouseholdFactory(
            tenant=True, home__building=BuildingFactory(complex=other_complex)
        ),
        category=routable.category,
        description="Elders",
    )

    page = queue(desk_client, complex=other_complex.pk)

    assert elsewhere.number in page
    assert unrouted[0].number not in page
    # Both selects come from one read of the buildings; the chosen complex stays chosen.
    building = elsewhere.home.building
    assert f'<option value="{other_complex.pk}" selected>Ander complex</option>' in page
    assert f'<option value="{building.pk}">{building.name}</option>' in page
    assert f'<option value="{routable.household.home.building.pk}">' in page


def test_the_desk_cancels_an_accepted_work_order_and_its_commitment_leaves_the_budget(
    client, routable, django_capture_on_commit_callbacks
):
    from budget.models import BudgetEntry
    from tickets import work_orders

    with django_capture_on_commit_callbacks(execute=True):
        repair_request = services.repair_request_submit(
            household=routable.household,
            reporter=routable.household.members.first(),
            category=routable.category,
            description="Deur klemt.",
        )
    work_order = repair_request.work_orders.get()
    work_orders.work_order_accept(work_order=work_order, actor=None, estimate=Decimal("150.00"))
    desk = UserFactory(role=Role.DESK)
    client.force_login(desk)
    url = reverse("tickets:desk_work_order_cancel", args=[repair_request.uuid])

    assert client.post(url, {"reason": ""}).status_code == 302
    assert BudgetEntry.objects.filter(work_order=work_order).exists()  # no reason: nothing changed

    page = client.post(url, {"reason": "Huurder heeft het zelf opgelost"}, follow=True)

    work_order.refresh_from_db()
    repair_request.refresh_from_db()
    assert page.status_code == 200
    assert work_order.status == "GEA"
    assert repair_request.status == "BEO" and repair_request.routing_flagged
    assert not BudgetEntry.objects.filter(work_order=work_order).exists()
    assert client.post(url, {"reason": "again"}).status_code == 302  # nothing left to cancel


def test_the_queue_rows_written_out_match_the_tables_own_rendering(rf, routable, unrouted):
    """The queue's template writes its cells out for speed; they must stay what the table defines."""

    from tickets import selectors
    from tickets.tables import DeskQueueTable

    from ..written_out_tables import assert_rows_match_the_table

    routable.contract.valid_until = routable.contract.valid_from.replace(year=2099)
    routable.contract.save()
    services.repair_request_submit(
        household=routable.household, category=routable.category, description="Met aannemer"
    )
    RepairRequest.objects.filter(pk=unrouted[0].pk).update(sla_state="overdue", resolution_due=None)

    shared_area = RepairRequest.objects.create(
        number="M-2099-00001",
        building=routable.household.home.building,
        category=routable.category,
        description="Trappenhuis",
    )

    written_out = assert_rows_match_the_table(
        lambda: DeskQueueTable(selectors.desk_queue_rows()), rf.get("/balie/")
    )
    assert 'data-received="' in written_out and 'data-overdue="true"' in written_out
    assert shared_area.building.name in written_out


def test_the_queue_rows_read_no_more_than_their_own_query_in_every_language(rf, routable, unrouted):
    """The rows read only the columns they show; a column they miss would cost a query per row."""
    from django.utils import translation

    from tickets import selectors
    from tickets.tables import DeskQueueTable

    RepairRequest.objects.create(
        number="M-2099-00001",
        building=routable.household.home.building,
        category=routable.category,
        description="Trappenhuis",
    )
    for language in ("nl", "en", "tr", "ar"):
        with translation.override(language):
            table = DeskQueueTable(selectors.desk_queue_rows())
            RequestConfig(rf.get("/balie/")).configure(table)
            with CaptureQueriesContext(connection) as context:
                html = table.as_html(rf.get("/balie/"))
            # The page's rows in one query (the count for the pagination came before).
            assert len(context.captured_queries) == 1, language
            assert str(routable.category) in html


def test_the_call_now_list_holds_open_emergencies_without_an_accepted_contractor_oldest_first(
    desk_client, routable, unrouted
):
    from datetime import timedelta

    from django.utils import timezone

    from tickets.constants import WorkOrderStatus
    from tickets.models import WorkOrder

    now = timezone.now()
    for index, request in enumerate(unrouted):
        RepairRequest.objects.filter(pk=request.pk).update(
            urgency=Urgency.EMERGENCY, created_at=now - timedelta(hours=3 - index)
        )
    accepted, waiting, closed = unrouted
    WorkOrder.objects.create(
        request=accepted,
        contractor=routable.contract.contractor,
        contract=routable.contract,
        status=WorkOrderStatus.AWARDED,
    )
    RepairRequest.objects.filter(pk=closed.pk).update(status=RequestStatus.TECHNICALLY_DONE)
    older = services.repair_request_submit(
        household=HouseholdFactory(tenant=True), category=routable.category, description="Gas"
    )
    RepairRequest.objects.filter(pk=older.pk).update(
        urgency=Urgency.EMERGENCY, created_at=now - timedelta(days=1)
    )

    page = queue(desk_client)
    call_now = page[page.index('id="call-now-heading"') : page.index("</section>")]
    # The list reads only what it shows, in the page's one query for it (no query per emergency).
    assert _queries(desk_client) <= 10

    assert waiting.number in call_now and older.number in call_now
    assert call_now.index(older.number) < call_now.index(waiting.number)
    assert accepted.number not in call_now and closed.number not in call_now


def _queue_reads(client, **params) -> list[str]:
    """The queries of one queue view that read the queue itself (requests, work orders)."""
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("tickets:desk_queue"), params).status_code == 200
    return [q["sql"] for q in context.captured_queries if '"tickets_repairrequest"' in q["sql"]]


def test_a_second_view_of_the_queue_comes_from_the_cache(desk_client, unrouted):
    first = _queue_reads(desk_client)
    second = _queue_reads(desk_client)

    # The rows, their count, the call-now list and the SLA counts.
    assert len(first) == 4
    assert second == []
    assert queue(desk_client).count('name="selection"') == len(unrouted)


def test_the_cached_queue_shows_a_change_at_once(desk_client, routable, unrouted):
    before = queue(desk_client)
    arrival = services.repair_request_submit(
        household=HouseholdFactory(tenant=True),
        category=routable.category,
        description="Net gebeld",
    )
    desk_client.post(
        reverse("tickets:desk_bulk"),
        {"selection": [unrouted[0].pk], "action": "urgency", "urgency": Urgency.EMERGENCY},
    )

    after = queue(desk_client)

    assert arrival.number not in before and arrival.number in after
    call_now = re.search(r'<section class="portal-emergency".*?</section>', after, re.S).group(0)
    assert unrouted[0].number in call_now and unrouted[1].number not in call_now


def test_a_changed_sla_state_shows_in_the_cached_queue(desk_client, unrouted):
    from datetime import timedelta

    from django.utils import timezone

    from tickets import sla

    assert not re.search(r'href="\?sla_state=overdue">[1-9]', queue(desk_client))
    RepairRequest.objects.filter(pk=unrouted[0].pk).update(
        resolution_due=timezone.now() - timedelta(days=1)
    )

    sla.sla_states_refresh()

    page = queue(desk_client)
    assert 'href="?sla_state=overdue">1 ' in page
    row = re.search(r'<tr[^>]*data-overdue="true"[^>]*>.*?</tr>', page, re.S)
    assert row and unrouted[0].number in row.group(0)


def test_the_cached_queue_is_kept_per_language_and_per_query(desk_client, unrouted):
    from django.utils.translation import override

    dutch = queue(desk_client)
    with override("en"):
        english = desk_client.get(
            reverse("tickets:desk_queue"), headers={"accept-language": "en"}
        ).content.decode()
    narrowed = queue(desk_client, q=unrouted[1].number)

    assert "Ontvangen" in dutch and "Received" in english and "Ontvangen" not in english
    assert unrouted[0].number in dutch and unrouted[0].number not in narrowed
    # The filter form is kept with its query: the search shows what was searched, and only there.
    assert f'value="{unrouted[1].number}"' in narrowed
    assert f'value="{unrouted[1].number}"' not in dutch


@pytest.mark.parametrize("model", QUEUE_MODELS, ids=lambda model: model.__name__)
def test_every_model_the_queue_shows_renews_it(model):
    from django.db.models.signals import post_delete, post_save

    for signal in (post_save, post_delete):
        before = DESK_QUEUE.version()
        signal.send(sender=model, instance=None, created=False, update_fields=None)
        assert DESK_QUEUE.version() != before, f"{signal} of {model.__name__}"


def test_a_renamed_street_shows_in_the_cached_queue_at_once_and_escaped(desk_client, unrouted):
    home = unrouted[0].home
    assert home.street in queue(desk_client)

    home.street = "<b>Nieuwe</b> straat"
    home.save()

    page = queue(desk_client)
    assert "&lt;b&gt;Nieuwe&lt;/b&gt; straat" in page and "<b>Nieuwe</b>" not in page
