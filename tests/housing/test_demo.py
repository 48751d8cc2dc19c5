import pytest
from django.core.management import call_command

from budget.models import BudgetEntry, BudgetLine, Expense, Grant, Invoice
from social.models import CaseParty, SocialCase
from tickets.models import Contract, RepairRequest, WorkCategory
from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import Role
from zelfbeheer.housing.models import Building, Home, Household

pytestmark = pytest.mark.django_db(transaction=True)

MODELS = [
    Home,
    Building,
    Household,
    User,
    WorkCategory,
    Contract,
    BudgetLine,
    RepairRequest,
    SocialCase,
    CaseParty,
    Grant,
    Expense,
    Invoice,
    BudgetEntry,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_data_loads_the_lombok_complex_and_a_second_load_changes_nothing(capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    first = counts()
    call_command("load_demo")

    assert first == counts()
    assert first["Home"] == 353
    assert first["Building"] >= 2
    assert first["Household"] == 353
    for role in Role:
        assert User.objects.filter(groups__name=role.value).exists(), role
    assert "huurder@example.org" in output
    assert RepairRequest.objects.get().work_orders.count() == 1
    assert first["SocialCase"] == 4
    assert first["Grant"] == 1 and first["Invoice"] == 2
