import os
import shutil
from dataclasses import dataclass

import pytest

from tickets.constants import Responsibility
from tickets.models import Contract, WorkCategory
from zelfbeheer.housing.models import Household

from .factories import BudgetLineFactory, ContractFactory, HouseholdFactory, WorkCategoryFactory

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium")


def require_component(available: bool, reason: str) -> None:
    """Outside CI a missing component skips the test; in CI it fails the run."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require_component(
        bool(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)), f"Chromium at {CHROMIUM}"
    )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and used TOTP codes live in the cache: no test inherits another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in Dutch. A request through the test client activates the user's language in
    this thread and leaves it there; a factory would then fill only that language's translated fields."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Each test writes uploads, drafts and reports into its own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL"}


@dataclass
class RoutableSetup:
    household: Household
    category: WorkCategory
    contract: Contract


@pytest.fixture
def routable(db) -> RoutableSetup:
    """A tenant's household, a defect the foundation handles, a contract covering it, and a budget line."""
    household = HouseholdFactory(tenant=True)
    category = WorkCategoryFactory(responsibility=Responsibility.FOUNDATION)
    contract = ContractFactory(
        trades=[category.parent], complexes=[household.home.building.complex]
    )
    BudgetLineFactory(categories=[category.parent])
    return RoutableSetup(household=household, category=category, contract=contract)
