"""Signals for planned maintenance: the same defect again and again in one home or building.

A tap that leaks three times a year is a sign for the corporation's planned maintenance, not a fourth repair.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .models import RepairRequest, WorkCategory
from .sla import office_settings_get


@dataclass(frozen=True)
class RepeatSignal:
    place: str  # "home" or "building"
    place_id: int
    place_label: str
    category: WorkCategory
    count: int
    requests: list[RepairRequest]


def repeated_defects(now=None) -> list[RepeatSignal]:
    """Homes and buildings with at least N requests for one defect within M months, most first.

    Two aggregate queries and one for the requests behind them, however many requests there are.
    """
    config = office_settings_get()
    now = now or timezone.now()
    since = now - timedelta(days=30 * config.repeat_defect_months)
    recent = RepairRequest.objects.filter(
        created_at__gte=since, created_at__lt=now, duplicate_of__isnull=True
    ).exclude(status="GEA")
    threshold = config.repeat_defect_count
    by_home = (
        recent.filter(home__isnull=False).values("home_id", "category_id").annotate(count=Count("pk"))
        .filter(count__gte=threshold)
    )  # fmt: skip
    by_building = (
        recent.filter(building__isnull=False).values("building_id", "category_id").annotate(count=Count("pk"))
        .filter(count__gte=threshold)
    )  # fmt: skip
    groups = [("home", row["home_id"], row["category_id"], row["count"]) for row in by_home]
    groups += [
        ("building", row["building_id"], row["category_id"], row["count"]) for row in by_building
    ]
    if not groups:
        return []
    condition = Q()
    for place, place_id, category_id, _count in groups:
        condition |= Q(**{f"{place}_id": place_id, "category_id": category_id})
    behind = (
        recent.filter(condition)
        .select_related("home", "building", "category__parent")
        .order_by("-created_at")
    )
    requests_by_group: dict[tuple, list[RepairRequest]] = {}
    for repair_request in behind:
        place, place_id = (
            ("home", repair_request.home_id)
            if repair_request.home_id
            else ("building", repair_request.building_id)
        )
        requests_by_group.setdefault((place, place_id, repair_request.category_id), []).append(
            repair_request
        )
    signals = []
    for place, place_id, category_id, count in groups:
        requests = requests_by_group.get((place, place_id, category_id), [])
        if requests:
            signals.append(
                RepeatSignal(
                    place, place_id, requests[0].location, requests[0].category, count, requests
                )
            )
    return sorted(signals, key=lambda signal: (-signal.count, signal.place_label))
