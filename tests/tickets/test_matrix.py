from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import TradeFactory, UserFactory, WorkCategoryFactory
from tickets import matrix
from tickets.constants import PhaseCode, Responsibility
from tickets.models import Phase, ResponsibilityRule, WorkCategory
from tickets.selectors import responsibility_for
from zelfbeheer.accounts.roles import Role

pytestmark = pytest.mark.django_db

FOUNDATION = Responsibility.FOUNDATION
CORPORATION = Responsibility.CORPORATION
TENANT = Responsibility.TENANT
MAINTENANCE_STARTS = date(2026, 7, 1)


def today() -> date:
    return timezone.localdate()


def daily_maintenance_from(starts_on: date) -> Phase:
    return Phase.objects.create(code=PhaseCode.DAILY_MAINTENANCE, starts_on=starts_on)


@pytest.fixture
def coordinator(client):
    # The coordinator reads English here, so the assertions can quote the source texts.
    user = UserFactory(role=Role.COORDINATOR, preferred_language="en")
    client.force_login(user)
    return user


# --- the phase rule -----------------------------------------------------------------------------


def test_foundation_work_goes_to_the_corporation_until_daily_maintenance_starts():
    category = WorkCategoryFactory(responsibility=FOUNDATION)
    daily_maintenance_from(MAINTENANCE_STARTS)

    assert responsibility_for(category, date(2026, 6, 30)) == CORPORATION
    assert responsibility_for(category, MAINTENANCE_STARTS) == FOUNDATION
    assert responsibility_for(category, date(2027, 1, 1)) == FOUNDATION


def test_the_tenants_own_job_stays_the_tenants_before_daily_maintenance():
    washer = WorkCategoryFactory(code="tap-washer", responsibility=TENANT)
    daily_maintenance_from(MAINTENANCE_STARTS)

    assert responsibility_for(washer, date(2026, 6, 30)) == TENANT
    assert responsibility_for(washer, MAINTENANCE_STARTS) == TENANT


def test_the_foundation_by_default_is_gated_too():
    category = WorkCategoryFactory()
    daily_maintenance_from(MAINTENANCE_STARTS)

    resolution = matrix.responsibility_explain(category, date(2026, 6, 30))

    assert resolution.responsibility == CORPORATION
    assert resolution.source == matrix.Source.PHASE_GATE
    assert resolution.rule is None


def test_without_a_daily_maintenance_phase_nothing_is_gated():
    category = WorkCategoryFactory(responsibility=FOUNDATION)
    Phase.objects.create(code=PhaseCode.SOCIAL_MANAGEMENT, starts_on=date(2099, 1, 1))

    assert responsibility_for(category, date(2026, 6, 30)) == FOUNDATION


def test_own_rule_wins_over_the_trade_rule():
    category = WorkCategoryFactory()
    category.parent.responsibility_rules.create(
        responsibility=CORPORATION, effective_from=date(2020, 1, 1)
    )
    category.responsibility_rules.create(responsibility=TENANT, effective_from=date(2019, 1, 1))

    resolution = matrix.responsibility_explain(category, date(2026, 1, 1))

    assert resolution.responsibility == TENANT
    assert resolution.source == matrix.Source.OWN_RULE


def test_responsibility_for_asks_at_most_three_queries(django_assert_max_num_queries):
    category = WorkCategoryFactory(responsibility=FOUNDATION)
    daily_maintenance_from(MAINTENANCE_STARTS)
    fresh = WorkCategory.objects.get(pk=category.pk)

    with django_assert_max_num_queries(3):
        assert responsibility_for(fresh, date(2026, 6, 30)) == CORPORATION


def test_a_future_rule_takes_effect_only_from_its_date():
    category = WorkCategoryFactory(responsibility=CORPORATION)
    starts = today() + timedelta(days=10)
    coordinator = UserFactory(role=Role.COORDINATOR)

    matrix.responsibility_rule_set(
        category=category, responsibility=FOUNDATION, effective_from=starts, actor=coordinator
    )

    assert responsibility_for(category, today()) == CORPORATION
    assert responsibility_for(category, starts - timedelta(days=1)) == CORPORATION
    assert responsibility_for(category, starts) == FOUNDATION


# --- the overview -------------------------------------------------------------------------------


def make_categories(count: int, prefix: str) -> None:
    """`count` defects over five new trades, each with a past and a future rule."""
    trades = [TradeFactory(code=f"{prefix}-trade-{n}", name=f"Vak {n}") for n in range(5)]
    for trade in trades:
        trade.responsibility_rules.create(
            responsibility=FOUNDATION, effective_from=date(2020, 1, 1)
        )
    for n in range(count):
        defect = WorkCategoryFactory(
            code=f"{prefix}-defect-{n}", name=f"Gebrek {n}", parent=trades[n % 5]
        )
        defect.responsibility_rules.create(responsibility=TENANT, effective_from=date(2021, 1, 1))
        defect.responsibility_rules.create(
            responsibility=FOUNDATION, effective_from=today() + timedelta(days=30)
        )


def overview_queries(on_date: date) -> tuple[int, matrix.MatrixOverview]:
    with CaptureQueriesContext(connection) as queries:
        overview = matrix.matrix_overview(on_date)
    return len(queries), overview


def test_the_overview_asks_the_same_five_queries_for_5_and_50_categories():
    daily_maintenance_from(MAINTENANCE_STARTS)
    make_categories(5, "small")
    small, small_overview = overview_queries(today())
    make_categories(45, "large")
    large, large_overview = overview_queries(today())

    assert sum(len(trade.defects) for trade in small_overview.trades) == 5
    assert sum(len(trade.defects) for trade in large_overview.trades) == 50
    assert small == large == 5


def test_the_overview_says_where_each_answer_comes_from_and_what_changes_next():
    daily_maintenance_from(MAINTENANCE_STARTS)
    tap = WorkCategoryFactory(code="leaking-tap")
    tap.parent.responsibility_rules.create(
        responsibility=FOUNDATION, effective_from=date(2020, 1, 1)
    )
    washer = WorkCategoryFactory(code="tap-washer", name="Kraanleertje", responsibility=TENANT)
    later = ResponsibilityRule.objects.create(
        category=washer, responsibility=FOUNDATION, effective_from=date(2026, 9, 1)
    )

    overview = matrix.matrix_overview(date(2026, 6, 1))

    [plumbing] = overview.trades
    rows = {row.category.code: row for row in plumbing.defects}
    assert plumbing.row.resolution.source == matrix.Source.PHASE_GATE
    assert rows["leaking-tap"].resolution.responsibility == CORPORATION
    assert rows["leaking-tap"].resolution.source == matrix.Source.PHASE_GATE
    assert rows["leaking-tap"].next_change.on == MAINTENANCE_STARTS
    assert rows["leaking-tap"].next_change.resolution.responsibility == FOUNDATION
    assert rows["tap-washer"].resolution.responsibility == TENANT
    assert rows["tap-washer"].resolution.source == matrix.Source.OWN_RULE
    assert rows["tap-washer"].next_change.on == later.effective_from
    assert overview.maintenance_starts_on == MAINTENANCE_STARTS


def test_the_overview_page_shows_another_date(client, coordinator):
    daily_maintenance_from(MAINTENANCE_STARTS)
    WorkCategoryFactory(responsibility=FOUNDATION)

    response = client.get(reverse("tickets:matrix_overview"), {"op": "2026-06-30"})

    assert response.status_code == 200
    assert response.context["overview"].on_date == date(2026, 6, 30)
    [trade] = response.context["overview"].trades
    assert trade.defects[0].resolution.responsibility == CORPORATION


# --- the preview --------------------------------------------------------------------------------


def test_preview_of_foundation_work_routes_to_a_contractor():
    category = WorkCategoryFactory(responsibility=FOUNDATION)
    daily_maintenance_from(MAINTENANCE_STARTS)

    answer = matrix.responsibility_preview(category, MAINTENANCE_STARTS)

    assert answer["responsibility"] == FOUNDATION
    assert answer["source"] == matrix.Source.OWN_RULE
    assert answer["outcome"] == matrix.Outcome.CONTRACTOR
    assert answer["subscriber_outcome"] == matrix.Outcome.CONTRACTOR


def test_preview_before_daily_maintenance_forwards_to_the_corporation():
    category = WorkCategoryFactory(responsibility=FOUNDATION)
    daily_maintenance_from(MAINTENANCE_STARTS)

    with translation.override("en"):
        answer = matrix.responsibility_preview(category, date(2026, 6, 30))

    assert answer["responsibility"] == CORPORATION
    assert answer["source"] == matrix.Source.PHASE_GATE
    assert answer["outcome"] == matrix.Outcome.CORPORATION
    assert "1 July 2026" in answer["source_text"]


def test_preview_of_corporation_work_forwards_to_the_corporation():
    category = WorkCategoryFactory(code="roof", responsibility=CORPORATION)

    answer = matrix.responsibility_preview(category, date(2026, 6, 30))

    assert answer["outcome"] == matrix.Outcome.CORPORATION
    assert answer["subscriber_outcome"] == matrix.Outcome.CORPORATION


def test_preview_of_a_tenants_job_and_of_a_subscription_household():
    washer = WorkCategoryFactory(code="tap-washer", responsibility=TENANT)

    answer = matrix.responsibility_preview(washer, date(2026, 6, 30))

    assert answer["responsibility"] == TENANT
    assert answer["outcome"] == matrix.Outcome.TENANT
    assert answer["subscriber_outcome"] == matrix.Outcome.SUBSCRIPTION


def test_the_preview_page_answers_on_the_same_page(client, coordinator):
    category = WorkCategoryFactory(responsibility=TENANT)

    response = client.get(
        reverse("tickets:matrix_preview"), {"category": category.pk, "op": "2026-06-30"}
    )

    assert response.status_code == 200
    assert response.context["answer"]["outcome"] == matrix.Outcome.TENANT
    assert "service subscription" in response.content.decode()


# --- changing the matrix, and its history -------------------------------------------------------


def test_setting_a_rule_is_recorded_with_the_acting_user(client, coordinator):
    category = WorkCategoryFactory()
    starts = today() + timedelta(days=7)

    response = client.post(
        reverse("tickets:matrix_rule_set"),
        {"category": category.pk, "responsibility": TENANT, "effective_from": starts.isoformat()},
    )
    client.post(
        reverse("tickets:matrix_rule_set"),
        {"category": category.pk, "responsibility": CORPORATION, "effective_from": starts},
    )

    assert response.status_code == 302
    rule = ResponsibilityRule.objects.get(category=category, effective_from=starts)
    assert rule.responsibility == CORPORATION
    records = list(rule.history.order_by("history_date"))
    assert [record.history_type for record in records] == ["+", "~"]
    assert {record.history_user for record in records} == {coordinator}
    page = client.get(reverse("tickets:matrix_history"), headers={"accept-language": "en"})
    [changed, added] = page.context["page"].object_list
    assert (changed.who, changed.old, changed.new) == (coordinator, "Tenant", "Bo-Ex")
    assert (added.old, added.new) == ("", "Tenant")


def test_setting_the_same_rule_twice_records_one_change(coordinator):
    category = WorkCategoryFactory()
    starts = today() + timedelta(days=7)

    for _attempt in range(2):
        matrix.responsibility_rule_set(
            category=category, responsibility=TENANT, effective_from=starts, actor=coordinator
        )

    assert ResponsibilityRule.history.count() == 1


def test_a_past_date_is_refused_and_nothing_changes(client, coordinator):
    category = WorkCategoryFactory(responsibility=CORPORATION)
    yesterday = today() - timedelta(days=1)

    response = client.post(
        reverse("tickets:matrix_rule_set"),
        {"category": category.pk, "responsibility": FOUNDATION, "effective_from": yesterday},
    )

    assert response.status_code == 400
    assert "past" in response.content.decode()
    assert list(category.responsibility_rules.values_list("responsibility", flat=True)) == [
        CORPORATION
    ]
    assert not ResponsibilityRule.history.filter(history_type="~").exists()


def test_a_rule_of_a_past_date_cannot_be_changed_through_the_service(coordinator):
    category = WorkCategoryFactory(responsibility=CORPORATION)

    with translation.override("en"), pytest.raises(ValueError, match="past"):
        matrix.responsibility_rule_set(
            category=category,
            responsibility=FOUNDATION,
            effective_from=date(2000, 1, 1),
            actor=coordinator,
        )

    assert category.responsibility_rules.get().responsibility == CORPORATION


def test_a_future_rule_can_be_removed_and_the_removal_is_recorded(client, coordinator):
    category = WorkCategoryFactory()
    rule = category.responsibility_rules.create(
        responsibility=TENANT, effective_from=today() + timedelta(days=3)
    )

    response = client.post(reverse("tickets:matrix_rule_delete"), {"rule": rule.pk})

    assert response.status_code == 302
    assert not ResponsibilityRule.objects.filter(pk=rule.pk).exists()
    removal = ResponsibilityRule.history.get(history_type="-")
    assert removal.history_user == coordinator


def test_a_rule_in_effect_cannot_be_removed(client, coordinator):
    category = WorkCategoryFactory(responsibility=CORPORATION)
    current = category.responsibility_rules.create(responsibility=TENANT, effective_from=today())

    response = client.post(reverse("tickets:matrix_rule_delete"), {"rule": current.pk}, follow=True)

    assert response.status_code == 200
    assert "not taken effect" in response.content.decode()
    assert category.responsibility_rules.count() == 2


def test_phases_are_set_from_today_on_and_started_phases_stay(client, coordinator):
    starts = today() + timedelta(days=60)

    response = client.post(
        reverse("tickets:matrix_phases"),
        {"code": PhaseCode.DAILY_MAINTENANCE, "starts_on": starts.isoformat()},
    )
    refused = client.post(
        reverse("tickets:matrix_phases"),
        {"code": PhaseCode.DAILY_MAINTENANCE, "starts_on": today() - timedelta(days=1)},
    )

    assert response.status_code == 302
    assert refused.status_code == 400
    phase = Phase.objects.get(code=PhaseCode.DAILY_MAINTENANCE)
    assert phase.starts_on == starts
    assert phase.history.get().history_user == coordinator
    Phase.objects.create(code=PhaseCode.SOCIAL_MANAGEMENT, starts_on=date(2025, 1, 1))
    with pytest.raises(ValueError, match="already started"):
        matrix.phase_set(code=PhaseCode.SOCIAL_MANAGEMENT, starts_on=starts, actor=coordinator)


def test_the_change_log_lists_rules_and_phases_newest_first_in_pages(client, coordinator):
    category = WorkCategoryFactory()
    for n in range(matrix.HISTORY_PAGE_SIZE + 2):
        matrix.responsibility_rule_set(
            category=category,
            responsibility=TENANT,
            effective_from=today() + timedelta(days=n + 1),
            actor=coordinator,
        )
    matrix.phase_set(
        code=PhaseCode.DAILY_MAINTENANCE, starts_on=today() + timedelta(days=90), actor=coordinator
    )

    first = client.get(reverse("tickets:matrix_history"))
    second = client.get(reverse("tickets:matrix_history"), {"pagina": 2})

    assert first.context["page"].object_list[0].kind == "phase"
    assert len(first.context["page"].object_list) == matrix.HISTORY_PAGE_SIZE
    assert len(second.context["page"].object_list) == 3
    assert "Daily maintenance" in first.content.decode()


# --- who may, and what bad input does -----------------------------------------------------------

MATRIX_PAGES = [
    "tickets:matrix_overview",
    "tickets:matrix_rule_set",
    "tickets:matrix_phases",
    "tickets:matrix_preview",
    "tickets:matrix_history",
]


@pytest.mark.parametrize("role", [Role.TENANT, Role.DESK, Role.BOARD])
@pytest.mark.parametrize("name", [*MATRIX_PAGES, "tickets:matrix_rule_delete"])
def test_only_the_coordinator_reaches_the_matrix(client, role, name):
    rule = WorkCategoryFactory().responsibility_rules.create(
        responsibility=TENANT, effective_from=today() + timedelta(days=3)
    )
    client.force_login(UserFactory(role=role))

    response = (
        client.post(reverse(name), {"rule": rule.pk})
        if name.endswith("delete")
        else client.get(reverse(name))
    )

    assert response.status_code == 403
    assert ResponsibilityRule.objects.filter(pk=rule.pk).exists()


@pytest.mark.parametrize("name", MATRIX_PAGES)
def test_the_coordinator_reaches_every_matrix_page(client, coordinator, name):
    WorkCategoryFactory(responsibility=FOUNDATION)

    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("tickets:matrix_overview", {"op": "2026-13-45"}),
        ("tickets:matrix_overview", {"op": "99999-01-01"}),
        ("tickets:matrix_preview", {"category": "abc", "op": "2026-06-30"}),
        ("tickets:matrix_preview", {"category": "999999", "op": "2026-06-30"}),
        ("tickets:matrix_preview", {"category": "1", "op": "gisteren"}),
        ("tickets:matrix_rule_set", {"categorie": "abc"}),
        ("tickets:matrix_history", {"pagina": "abc"}),
        ("tickets:matrix_history", {"pagina": "999"}),
    ],
)
def test_malformed_queries_never_fail(client, coordinator, name, query):
    WorkCategoryFactory(responsibility=FOUNDATION)

    response = client.get(reverse(name), query)

    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("tickets:matrix_rule_set", {"category": "abc", "responsibility": TENANT}),
        (
            "tickets:matrix_rule_set",
            {"category": "999999", "responsibility": TENANT, "effective_from": "2099-01-01"},
        ),
        (
            "tickets:matrix_rule_set",
            {"category": "{pk}", "responsibility": "landlord", "effective_from": "2099-01-01"},
        ),
        (
            "tickets:matrix_rule_set",
            {"category": "{pk}", "responsibility": TENANT, "effective_from": "2099-02-30"},
        ),
        ("tickets:matrix_rule_delete", {"rule": "abc"}),
        ("tickets:matrix_rule_delete", {"rule": "999999"}),
        ("tickets:matrix_phases", {"code": "rent", "starts_on": "2099-01-01"}),
        ("tickets:matrix_phases", {"code": PhaseCode.DAILY_MAINTENANCE, "starts_on": "soon"}),
    ],
)
def test_malformed_posts_change_nothing(client, coordinator, name, data):
    category = WorkCategoryFactory(responsibility=FOUNDATION)
    data = {key: value.replace("{pk}", str(category.pk)) for key, value in data.items()}

    response = client.post(reverse(name), data, follow=True)

    assert response.status_code in (200, 400)
    assert ResponsibilityRule.objects.count() == 1
    assert not Phase.objects.exists()
    assert not ResponsibilityRule.history.exclude(history_type="+").exists()


def test_subscribers_small_repairs_go_to_bo_ex_before_daily_maintenance_starts(routable):
    from datetime import timedelta

    from django.utils import timezone

    from tickets import services
    from tickets.constants import Responsibility
    from tickets.matrix import phase_set

    washer = WorkCategoryFactory(
        code="tap-washer-sub", parent=routable.category.parent, responsibility="tenant"
    )
    routable.household.has_service_subscription = True
    routable.household.save()
    phase_set(
        code="daily_maintenance", starts_on=timezone.localdate() + timedelta(days=30), actor=None
    )

    before = services.repair_request_submit(
        household=routable.household, category=washer, description="Drupt"
    )

    assert (before.responsibility, before.booked_to_subscription) == (
        Responsibility.CORPORATION,
        True,
    )
    assert not before.work_orders.exists()


def test_before_daily_maintenance_a_technical_request_is_forwarded_to_bo_ex_with_a_referral(
    routable,
):
    from datetime import timedelta

    from django.utils import timezone

    from tickets import services
    from tickets.constants import RequestStatus
    from tickets.matrix import phase_set
    from tickets.models import Referral

    phase_set(
        code="daily_maintenance", starts_on=timezone.localdate() + timedelta(days=30), actor=None
    )

    forwarded = services.repair_request_submit(
        household=routable.household, category=routable.category, description="Kraan lekt"
    )

    assert (forwarded.responsibility, forwarded.status) == (
        Responsibility.CORPORATION,
        RequestStatus.CLOSED,
    )
    assert Referral.objects.get().request == forwarded
    assert not forwarded.work_orders.exists()
