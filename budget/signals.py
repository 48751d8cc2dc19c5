"""Every change to the money the dashboard shows makes it read that money again (see
`dashboard.money_figures`)."""

from .dashboard import LEDGER
from .models import BudgetEntry, BudgetLine, FinancialYear, Grant, GrantTranche

MONEY_MODELS = (BudgetEntry, BudgetLine, FinancialYear, Grant, GrantTranche)


def connect() -> None:
    LEDGER.renew_on_writes_to(*MONEY_MODELS)
