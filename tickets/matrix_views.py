"""The coordinator's responsibility matrix: overview, rules, phases, preview and change log."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.roles import Role

from . import matrix
from .matrix_forms import (
    MatrixDateForm,
    PhaseForm,
    PreviewForm,
    ResponsibilityRuleDeleteForm,
    ResponsibilityRuleForm,
)


@role_required(Role.COORDINATOR)
@require_GET
def matrix_overview(request):
    date_form = MatrixDateForm(request.GET)
    overview = matrix.matrix_overview(date_form.on_date())
    return render(
        request,
        "tickets/matrix/overview.html",
        {"date_form": date_form, "overview": overview, "today": timezone.localdate()},
        status=400 if date_form.errors else 200,
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def matrix_rule_set(request):
    form = ResponsibilityRuleForm(
        request.POST if request.method == "POST" else None,
        initial={"category": request.GET.get("categorie"), "effective_from": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            matrix.responsibility_rule_set(**form.cleaned_data, actor=request.user)
        except ValueError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The rule is saved."))
            return redirect("tickets:matrix_overview")
    return render(
        request,
        "tickets/matrix/rule_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@role_required(Role.COORDINATOR)
@require_POST
def matrix_rule_delete(request):
    form = ResponsibilityRuleDeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That rule does not exist (any more); nothing was removed."))
        return redirect("tickets:matrix_overview")
    try:
        matrix.responsibility_rule_delete(rule=form.cleaned_data["rule"], actor=request.user)
    except ValueError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The future rule is removed."))
    return redirect("tickets:matrix_overview")


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def matrix_phases(request):
    form = PhaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            matrix.phase_set(**form.cleaned_data, actor=request.user)
        except ValueError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The phase is saved."))
            return redirect("tickets:matrix_phases")
    return render(
        request,
        "tickets/matrix/phases.html",
        {"form": form, "phases": matrix.phases_all()},
        status=400 if form.errors else 200,
    )


@role_required(Role.COORDINATOR)
@require_GET
def matrix_preview(request):
    asked = "category" in request.GET or "op" in request.GET
    form = PreviewForm(
        request.GET if asked else None,
        initial={"op": timezone.localdate()},
    )
    answer = None
    if asked and form.is_valid():
        answer = matrix.responsibility_preview(
            form.cleaned_data["category"], form.cleaned_data["op"]
        )
    return render(
        request,
        "tickets/matrix/preview.html",
        {"form": form, "answer": answer},
        status=400 if form.errors else 200,
    )


@role_required(Role.COORDINATOR)
@require_GET
def matrix_history(request):
    page = matrix.matrix_changes_page(request.GET.get("pagina"))
    return render(request, "tickets/matrix/history.html", {"page": page})
