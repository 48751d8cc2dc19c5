"""Expenses, grants, the drill-down behind a budget figure, and the board's tables as files.

Board and coordinator read and write; Bo-Ex (corporation) reads and exports, sees no forms, and gets 404 on
a POST; every other role gets 404, so the URLs do not even confirm the pages exist.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.roles import Role, has_role

from . import selectors, services
from .exports import (
    CONTENT_TYPES,
    DASHBOARD_TABLES,
    dataset_response,
    line_dataset,
    table_export_response,
)
from .models import Expense, FinancialYear
from .money_forms import (
    ExpenseCorrectForm,
    ExpenseFilter,
    ExpenseForm,
    GrantForm,
    TrancheReceivedForm,
)
from .money_tables import (
    CommitmentTable,
    ExpenseActualTable,
    ExpenseTable,
    InvoiceActualTable,
)
from .selectors import FINANCE_ROLES, financial_year_get

MONEY_EDITORS = (Role.BOARD, Role.COORDINATOR)
PAGE_SIZE = 25
DETAIL_PAGE_SIZE = 50
# Where a figure of the dashboard lands on the line's page.
FIGURE_ANCHORS = {"committed": "committed", "actual": "actual"}

finance_readers = role_required(*FINANCE_ROLES, hide=True)
money_editors = role_required(*MONEY_EDITORS, hide=True)


def _can_edit(request: HttpRequest) -> bool:
    return has_role(request.user, *MONEY_EDITORS)


def _editors_post(request: HttpRequest) -> None:
    """A POST on a page that readers may GET: only editors; Bo-Ex gets the same 404 as a stranger."""
    if request.method == "POST" and not _can_edit(request):
        raise Http404


def _year_or_404(year: int) -> FinancialYear:
    financial_year = financial_year_get(year)
    if financial_year is None:
        raise Http404
    return financial_year


# --- Expenses -----------------------------------------------------------------------------------------


def _render_expenses(
    request: HttpRequest,
    financial_year: FinancialYear,
    *,
    form: ExpenseForm | None = None,
    correction: tuple[Expense, ExpenseCorrectForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    can_edit = _can_edit(request)
    expense_filter = ExpenseFilter(
        request.GET,
        queryset=selectors.expenses_of_year(financial_year),
        financial_year=financial_year,
    )
    table = ExpenseTable(expense_filter.qs, year=financial_year.year, can_edit=can_edit)
    exported = table_export_response(request, table, f"uitgaven-{financial_year.year}")
    if exported is not None:
        return exported
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    if can_edit and form is None:
        form = ExpenseForm(financial_year=financial_year)
    if can_edit and correction is None and request.GET.get("corrigeren", "").isdigit():
        expense = (
            selectors.expenses_of_year(financial_year).filter(pk=request.GET["corrigeren"]).first()
        )
        if expense is not None:
            correction = (
                expense,
                ExpenseCorrectForm(
                    initial={
                        "description": expense.description,
                        "amount_excl_vat": expense.amount_excl_vat,
                        "vat_amount": expense.vat_amount,
                    }
                ),
            )
    return render(
        request,
        "budget/expense_list.html",
        {
            "year": financial_year.year,
            "filter": expense_filter,
            "table": table,
            "form": form if can_edit else None,
            "correction": correction if can_edit else None,
        },
        status=status,
    )


@finance_readers
@require_http_methods(["GET", "POST"])
def expense_list(request: HttpRequest, year: int) -> HttpResponse:
    _editors_post(request)
    financial_year = _year_or_404(year)
    if request.method != "POST":
        return _render_expenses(request, financial_year)
    form = ExpenseForm(request.POST, financial_year=financial_year)
    if form.is_valid():
        try:
            expense = services.expense_record(entered_by=request.user, **form.cleaned_data)
        except services.BudgetError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Expense “%(description)s” recorded.") % {"description": expense.description},
            )
            return redirect("budget:expense_list", year=year)
    return _render_expenses(request, financial_year, form=form, status=400)


@money_editors
@require_POST
def expense_correct(request: HttpRequest, pk: int) -> HttpResponse:
    expense = selectors.expense_get(pk)
    financial_year = expense.budget_line.financial_year
    form = ExpenseCorrectForm(request.POST)
    if form.is_valid():
        try:
            services.expense_correct(expense, **form.cleaned_data)
        except services.BudgetError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Expense corrected."))
            return redirect("budget:expense_list", year=financial_year.year)
    return _render_expenses(request, financial_year, correction=(expense, form), status=400)


# --- Grants -------------------------------------------------------------------------------------------


def _render_grants(
    request: HttpRequest,
    financial_year: FinancialYear,
    *,
    form: GrantForm | None = None,
    tranche_form: tuple[int, TrancheReceivedForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    can_edit = _can_edit(request)
    grants = list(selectors.grants_of_year(financial_year))
    if can_edit:
        # Each tranche not yet received gets its own small form, with ids of its own.
        for grant in grants:
            for tranche in grant.tranches.all():
                if tranche_form and tranche_form[0] == tranche.pk:
                    tranche.received_form = tranche_form[1]
                elif tranche.received_on is None:
                    tranche.received_form = TrancheReceivedForm(tranche_pk=tranche.pk)
    return render(
        request,
        "budget/grant_list.html",
        {
            "year": financial_year.year,
            "grants": grants,
            "totals": selectors.grant_totals(financial_year),
            "can_edit": can_edit,
            "form": (form or GrantForm()) if can_edit else None,
        },
        status=status,
    )


@finance_readers
@require_http_methods(["GET", "POST"])
def grant_list(request: HttpRequest, year: int) -> HttpResponse:
    _editors_post(request)
    financial_year = _year_or_404(year)
    if request.method != "POST":
        return _render_grants(request, financial_year)
    form = GrantForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            grant = services.grant_record(
                financial_year=financial_year,
                description=data["description"],
                amount=data["amount"],
                granted_on=data["granted_on"],
                tranches=data["tranches"],
            )
        except services.BudgetError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Grant “%(description)s” recorded.") % {"description": grant.description}
            )
            return redirect("budget:grant_list", year=year)
    return _render_grants(request, financial_year, form=form, status=400)


@money_editors
@require_POST
def tranche_received(request: HttpRequest, pk: int) -> HttpResponse:
    tranche = selectors.tranche_get(pk)
    financial_year = tranche.grant.financial_year
    form = TrancheReceivedForm(request.POST, tranche_pk=tranche.pk)
    if form.is_valid():
        try:
            services.tranche_mark_received(tranche, received_on=form.cleaned_data["received_on"])
        except services.BudgetError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Tranche marked as received."))
            return redirect("budget:grant_list", year=financial_year.year)
    return _render_grants(request, financial_year, tranche_form=(tranche.pk, form), status=400)


# --- The drill-down behind a figure -------------------------------------------------------------------


@finance_readers
@require_GET
def line_detail(request: HttpRequest, year: int, code: str) -> HttpResponse:
    figures = selectors.line_figures_get(year, code)
    if "figure" in request.GET:
        # A figure on the dashboard links here; land on the table that makes it up.
        params = request.GET.copy()
        anchor = FIGURE_ANCHORS.get(params.pop("figure")[0], "")
        query = f"?{params.urlencode()}" if params else ""
        return redirect(f"{request.path}{query}{'#' + anchor if anchor else ''}")
    commitments = CommitmentTable(selectors.line_commitments(figures.pk))
    invoices = InvoiceActualTable(selectors.line_invoice_actuals(figures.pk))
    expenses = ExpenseActualTable(selectors.line_expense_actuals(figures.pk))
    config = RequestConfig(request, paginate={"per_page": DETAIL_PAGE_SIZE})
    for table in (commitments, invoices, expenses):
        config.configure(table)
    return render(
        request,
        "budget/line_detail.html",
        {
            "year": year,
            "line": figures,
            "commitments": commitments,
            "invoices": invoices,
            "expenses": expenses,
            "can_edit": _can_edit(request),
        },
    )


# --- Files --------------------------------------------------------------------------------------------


@finance_readers
@require_GET
def dashboard_export(request: HttpRequest, year: int, table: str, fmt: str) -> HttpResponse:
    if table not in DASHBOARD_TABLES or fmt not in CONTENT_TYPES:
        raise Http404
    _year_or_404(year)
    dataset = DASHBOARD_TABLES[table](year, timezone.localdate())
    return dataset_response(dataset, fmt, f"begroting-{year}-{table}.{fmt}")


@finance_readers
@require_GET
def line_export(request: HttpRequest, year: int, code: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    figures = selectors.line_figures_get(year, code)
    dataset = line_dataset(figures.pk, figures.code)
    return dataset_response(dataset, fmt, f"begroting-{year}-regel-{slugify(code)}.{fmt}")


urlpatterns = [
    path("<int:year>/uitgaven/", expense_list, name="expense_list"),
    path("uitgaven/<int:pk>/corrigeren/", expense_correct, name="expense_correct"),
    path("<int:year>/subsidies/", grant_list, name="grant_list"),
    path("tranches/<int:pk>/ontvangen/", tranche_received, name="tranche_received"),
    path("<int:year>/regel/<str:code>/", line_detail, name="line_detail"),
    path("<int:year>/regel/<str:code>/export.<str:fmt>", line_export, name="line_export"),
    path("<int:year>/export/<str:table>.<str:fmt>", dashboard_export, name="dashboard_export"),
]
