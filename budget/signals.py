"""Every change to the money the dashboard shows makes it read that money again (see
`dashboard.money_figures`)."""

from django.db.models.signals import post_delete, post_save

from .dashboard import ledger_changed
from .models import BudgetEntry, BudgetLine, FinancialYear, Grant, GrantTranche

MONEY_MODELS = (BudgetEntry, BudgetLine, FinancialYear, Grant, GrantTranche)


def money_changed(sender, **kwargs) -> None:
    ledger_changed()


def connect() -> None:
    for model in MONEY_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(money_changed, sender=model, dispatch_uid=f"money-{model.__name__}")
