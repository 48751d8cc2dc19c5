"""The responsibility matrix: who handles which defect on which date, and how the coordinator changes it.

Selectors read the matrix (`responsibility_explain`, `matrix_overview`, `responsibility_preview`,
`matrix_changes_page`); services change it (`responsibility_rule_set`, `responsibility_rule_delete`,
`phase_set`). `selectors.responsibility_for` answers through `responsibility_explain`, so intake, the
overview and the preview share one decision (`_resolve`).

The decision: a category's own latest rule on or before the date, else its trade's, else the foundation.
Until the daily-maintenance phase starts, the foundation's work is recorded and forwarded to the
corporation; the tenant's own jobs stay the tenant's.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models, transaction
from django.db.models import CharField, Prefetch, Value
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zelfbeheer.accounts.models import User

from .constants import PhaseCode, Responsibility
from .models import Phase, ResponsibilityRule, WorkCategory

HISTORY_PAGE_SIZE = 25


class Source(models.TextChoices):
    OWN_RULE = "own_rule", _("Own rule")
    TRADE_RULE = "trade_rule", _("Rule of the trade")
    DEFAULT = "default", _("Default (no rule)")
    PHASE_GATE = "phase_gate", _("Before daily maintenance starts")


class Outcome(models.TextChoices):
    CONTRACTOR = "contractor", _("Routed to a contractor")
    CORPORATION = "corporation", _("Forwarded to Bo-Ex")
    TENANT = "tenant", _("Explained as the tenant's own job")
    SUBSCRIPTION = "subscription", _("Done under the service subscription")


@dataclass(frozen=True)
class Resolution:
    """The answer for one category on one date; `rule` is the rule that applied (None: the default)."""

    responsibility: str
    source: str
    rule: ResponsibilityRule | None


@dataclass(frozen=True)
class ScheduledChange:
    on: date
    resolution: Resolution


@dataclass(frozen=True)
class MatrixRow:
    category: WorkCategory
    resolution: Resolution
    next_change: ScheduledChange | None
    future_rules: list[ResponsibilityRule]


@dataclass(frozen=True)
class MatrixTrade:
    row: MatrixRow
    defects: list[MatrixRow] = field(default_factory=list)


@dataclass(frozen=True)
class MatrixOverview:
    on_date: date
    maintenance_starts_on: date | None
    trades: list[MatrixTrade]


def _in_effect(rules: Iterable[ResponsibilityRule], on_date: date) -> ResponsibilityRule | None:
    return max(
        (rule for rule in rules if rule.effective_from <= on_date),
        key=lambda rule: rule.effective_from,
        default=None,
    )


def _resolve(
    own_rules: Sequence[ResponsibilityRule],
    trade_rules: Sequence[ResponsibilityRule],
    on_date: date,
    maintenance_starts_on: date | None,
) -> Resolution:
    """The one place the matrix is decided; reads nothing from the database."""
    rule = _in_effect(own_rules, on_date)
    source = Source.OWN_RULE
    if rule is None:
        rule = _in_effect(trade_rules, on_date)
        source = Source.TRADE_RULE
    if rule is None:
        source = Source.DEFAULT
    responsibility = rule.responsibility if rule else Responsibility.FOUNDATION
    gated = maintenance_starts_on is not None and on_date < maintenance_starts_on
    if responsibility == Responsibility.FOUNDATION and gated:
        return Resolution(Responsibility.CORPORATION, Source.PHASE_GATE, rule)
    return Resolution(responsibility, source, rule)


def _next_change(
    own_rules: Sequence[ResponsibilityRule],
    trade_rules: Sequence[ResponsibilityRule],
    on_date: date,
    maintenance_starts_on: date | None,
    current: Resolution,
) -> ScheduledChange | None:
    """The first later date on which the answer differs: a future rule, or the phase start."""
    moments = {rule.effective_from for rule in (*own_rules, *trade_rules)}
    if maintenance_starts_on is not None:
        moments.add(maintenance_starts_on)
    for moment in sorted(day for day in moments if day > on_date):
        later = _resolve(own_rules, trade_rules, moment, maintenance_starts_on)
        if later.responsibility != current.responsibility:
            return ScheduledChange(moment, later)
    return None


def maintenance_starts_on() -> date | None:
    """When daily maintenance starts; None when no such phase is recorded (then nothing is gated)."""
    return (
        Phase.objects.filter(code=PhaseCode.DAILY_MAINTENANCE)
        .values_list("starts_on", flat=True)
        .first()
    )


def subscription_handler(on_date: date) -> str:
    """Who does a subscriber's small repair: Bo-Ex until daily maintenance starts, then the foundation."""
    starts_on = maintenance_starts_on()
    if starts_on is not None and on_date < starts_on:
        return Responsibility.CORPORATION
    return Responsibility.FOUNDATION


def responsibility_explain(category: WorkCategory, on_date: date) -> Resolution:
    """Who is responsible for a category on a date, and why; two queries."""
    rules = list(
        ResponsibilityRule.objects.filter(
            category_id__in=[pk for pk in (category.pk, category.parent_id) if pk is not None],
            effective_from__lte=on_date,
        )
    )
    own = [rule for rule in rules if rule.category_id == category.pk]
    trade = [rule for rule in rules if rule.category_id != category.pk]
    return _resolve(own, trade, on_date, maintenance_starts_on())


def _row(
    category: WorkCategory,
    trade_rules: Sequence[ResponsibilityRule],
    on_date: date,
    starts_on: date | None,
    today: date,
) -> MatrixRow:
    own = list(category.responsibility_rules.all())
    resolution = _resolve(own, trade_rules, on_date, starts_on)
    return MatrixRow(
        category=category,
        resolution=resolution,
        next_change=_next_change(own, trade_rules, on_date, starts_on, resolution),
        future_rules=sorted(
            (rule for rule in own if rule.effective_from > today),
            key=lambda rule: rule.effective_from,
        ),
    )


def matrix_overview(on_date: date) -> MatrixOverview:
    """Every trade with its defects as the matrix stands on a date; five queries at any size."""
    rules = Prefetch(
        "responsibility_rules", queryset=ResponsibilityRule.objects.order_by("-effective_from")
    )
    defects = Prefetch(
        "children", queryset=WorkCategory.objects.order_by("name").prefetch_related(rules)
    )
    trades = WorkCategory.objects.filter(parent__isnull=True).order_by("name")
    starts_on = maintenance_starts_on()
    today = timezone.localdate()
    matrix = []
    for trade in trades.prefetch_related(rules, defects):
        trade_rules = list(trade.responsibility_rules.all())
        matrix.append(
            MatrixTrade(
                row=_row(trade, [], on_date, starts_on, today),
                defects=[
                    _row(defect, trade_rules, on_date, starts_on, today)
                    for defect in trade.children.all()
                ],
            )
        )
    return MatrixOverview(on_date=on_date, maintenance_starts_on=starts_on, trades=matrix)


def _source_text(resolution: Resolution, category: WorkCategory, starts_on: date | None) -> str:
    rule = resolution.rule
    if resolution.source == Source.PHASE_GATE and starts_on is not None:
        return gettext(
            "The foundation is responsible, but daily maintenance by the foundation only starts on "
            "%(date)s; until then the request goes to Bo-Ex."
        ) % {"date": date_format(starts_on, "j F Y")}
    if resolution.source == Source.OWN_RULE and rule is not None:
        return gettext("The rule of %(category)s, effective from %(date)s.") % {
            "category": category.name,
            "date": date_format(rule.effective_from, "j F Y"),
        }
    if resolution.source == Source.TRADE_RULE and rule is not None:
        return gettext("The rule of the trade %(trade)s, effective from %(date)s.") % {
            "trade": category.trade.name,
            "date": date_format(rule.effective_from, "j F Y"),
        }
    return gettext("No rule applies, so the foundation is responsible by default.")


OUTCOME_TEXTS = {
    Outcome.CONTRACTOR: _("The request is routed to one of the foundation's contractors."),
    Outcome.CORPORATION: _("The request is recorded and forwarded to Bo-Ex."),
    Outcome.TENANT: _(
        "The tenant is told this is their own job (a small repair); the desk looks at any reason "
        "they give for asking anyway."
    ),
    Outcome.SUBSCRIPTION: _(
        "The foundation's contractor does the job, booked to the household's service subscription."
    ),
}

_OUTCOME_OF = {
    Responsibility.FOUNDATION: Outcome.CONTRACTOR,
    Responsibility.CORPORATION: Outcome.CORPORATION,
    Responsibility.TENANT: Outcome.TENANT,
}


def responsibility_preview(category: WorkCategory, on_date: date) -> dict[str, Any]:
    """What happens to a request for this category reported on a date, for every household.

    Mirrors `services.repair_request_submit`: for households with the service subscription a tenant's own
    job is done for them, booked to the subscription: by the foundation once daily maintenance has started,
    by Bo-Ex before that. Everything else is the same for them.
    """
    starts_on = maintenance_starts_on()
    resolution = responsibility_explain(category, on_date)
    outcome = _OUTCOME_OF[Responsibility(resolution.responsibility)]
    subscriber_outcome = outcome
    if outcome == Outcome.TENANT:
        handled_by_foundation = subscription_handler(on_date) == Responsibility.FOUNDATION
        subscriber_outcome = Outcome.SUBSCRIPTION if handled_by_foundation else Outcome.CORPORATION
    return {
        "category": category,
        "on_date": on_date,
        "responsibility": resolution.responsibility,
        "responsibility_label": Responsibility(resolution.responsibility).label,
        "source": resolution.source,
        "source_label": Source(resolution.source).label,
        "source_text": _source_text(resolution, category, starts_on),
        "rule": resolution.rule,
        "maintenance_starts_on": starts_on,
        "outcome": outcome.value,
        "outcome_text": str(OUTCOME_TEXTS[outcome]),
        "subscriber_outcome": subscriber_outcome.value,
        "subscriber_outcome_text": str(OUTCOME_TEXTS[subscriber_outcome]),
    }


# --- services ---------------------------------------------------------------------------------


def _refuse_past(on: date, message: str) -> None:
    if on < timezone.localdate():
        raise ValueError(message)


def responsibility_rule_set(
    *, category: WorkCategory, responsibility: str, effective_from: date, actor: User | None
) -> ResponsibilityRule:
    """Create or change the rule of a category for a date; rules of past dates are history and stay."""
    if responsibility not in Responsibility.values:
        raise ValueError(gettext("Unknown responsibility."))
    _refuse_past(
        effective_from,
        gettext("A rule cannot start in the past: past rules are history. Choose today or later."),
    )
    with transaction.atomic():
        # Locking the category serialises edits of its rules (and so the unique date per category).
        # Explicit order_by: the models' default orderings join the nullable parent, which cannot be locked.
        WorkCategory.objects.select_for_update().filter(pk=category.pk).order_by("pk").first()
        rule = (
            ResponsibilityRule.objects.select_for_update()
            .filter(category=category, effective_from=effective_from)
            .order_by("pk")
            .first()
        )
        if rule is not None and rule.responsibility == responsibility:
            return rule
        if rule is None:
            rule = ResponsibilityRule(category=category, effective_from=effective_from)
        rule.responsibility = responsibility
        # simple-history records who; set here so a call outside a request is attributed too.
        rule._history_user = actor  # type: ignore[attr-defined]
        rule.save()
    return rule


def responsibility_rule_delete(*, rule: ResponsibilityRule, actor: User | None) -> None:
    """Withdraw a rule that has not taken effect yet; a rule in effect or past stays as history."""
    with transaction.atomic():
        locked = (
            ResponsibilityRule.objects.select_for_update().filter(pk=rule.pk).order_by("pk").first()
        )
        if locked is None:
            return
        if locked.effective_from <= timezone.localdate():
            raise ValueError(gettext("Only a rule that has not taken effect yet can be removed."))
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.delete()


def phase_set(*, code: str, starts_on: date, actor: User | None) -> Phase:
    """Set when a phase starts; a phase that has started is history, and no new start lies in the past."""
    if code not in PhaseCode.values:
        raise ValueError(gettext("Unknown phase."))
    with transaction.atomic():
        phase = Phase.objects.select_for_update().filter(code=code).order_by("pk").first()
        if phase is not None and phase.starts_on == starts_on:
            return phase
        if phase is not None and phase.starts_on <= timezone.localdate():
            raise ValueError(
                gettext("This phase has already started; its start date is history and stays.")
            )
        _refuse_past(starts_on, gettext("A phase cannot start in the past. Choose today or later."))
        if phase is None:
            phase = Phase(code=code)
        phase.starts_on = starts_on
        phase._history_user = actor  # type: ignore[attr-defined]
        phase.save()
    return phase


def phases_all() -> list[Phase]:
    return list(Phase.objects.order_by("starts_on"))


# --- change log -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeLine:
    when: datetime
    who: User | None
    kind: str
    subject: str
    change: str
    old: str
    new: str


CHANGE_LABELS = {"+": _("added"), "~": _("changed"), "-": _("removed")}


def _changes_union() -> models.QuerySet:
    """Rule and phase history in one ordered list of (kind, history_id, history_date)."""
    text = CharField()
    # The historical models order themselves; a compound statement allows only the outer ordering.
    rules = ResponsibilityRule.history.order_by().values_list(
        Value("rule", output_field=text), "history_id", "history_date"
    )
    phases = Phase.history.order_by().values_list(
        Value("phase", output_field=text), "history_id", "history_date"
    )
    return rules.union(phases, all=True).order_by("-history_date", "-history_id")


def _with_previous(
    records: list[Any], value_of: Callable[[Any], str]
) -> dict[int, tuple[Any, str]]:
    """Per history row: the row and the value before it (of the same object), oldest first."""
    found: dict[int, tuple[Any, str]] = {}
    before: dict[int, str] = {}
    for record in records:
        found[record.history_id] = (record, before.get(record.id, ""))
        before[record.id] = "" if record.history_type == "-" else value_of(record)
    return found


def matrix_changes_page(page_number: str | int | None) -> Page:
    """One page of the change log, newest first; a constant number of queries per page."""
    page = Paginator(_changes_union(), HISTORY_PAGE_SIZE).get_page(page_number)
    entries = list(page.object_list)
    rule_ids = [pk for kind, pk, _when in entries if kind == "rule"]
    phase_ids = [pk for kind, pk, _when in entries if kind == "phase"]

    rule_objects = ResponsibilityRule.history.filter(history_id__in=rule_ids).values_list(
        "id", flat=True
    )
    rule_records = _with_previous(
        list(
            ResponsibilityRule.history.filter(id__in=rule_objects)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        ),
        lambda record: str(Responsibility(record.responsibility).label),
    )
    phase_objects = Phase.history.filter(history_id__in=phase_ids).values_list("id", flat=True)
    phase_records = _with_previous(
        list(
            Phase.history.filter(id__in=phase_objects)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        ),
        lambda record: date_format(record.starts_on, "j F Y"),
    )
    categories = WorkCategory.objects.select_related("parent").in_bulk(
        {record.category_id for record, _old in rule_records.values()}
    )

    lines = []
    for kind, pk, _when in entries:
        if kind == "rule":
            record, old = rule_records[pk]
            category = categories.get(record.category_id)
            subject = gettext("%(category)s from %(date)s") % {
                "category": category if category else gettext("(removed category)"),
                "date": date_format(record.effective_from, "j F Y"),
            }
            new = str(Responsibility(record.responsibility).label)
        else:
            record, old = phase_records[pk]
            subject = str(PhaseCode(record.code).label)
            new = date_format(record.starts_on, "j F Y")
        lines.append(
            ChangeLine(
                when=record.history_date,
                who=record.history_user,
                kind=kind,
                subject=subject,
                change=str(CHANGE_LABELS.get(record.history_type, record.history_type)),
                old=old,
                new="" if record.history_type == "-" else new,
            )
        )
    page.object_list = lines
    return page
