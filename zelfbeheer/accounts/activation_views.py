from http import HTTPStatus

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import activation
from .activation_forms import ActivationForm, ActivationLettersForm
from .decorators import role_required
from .roles import Role


@require_http_methods(["GET", "POST"])
def account_activate(request: HttpRequest) -> HttpResponse:
    """Public: a tenant turns the code from the letter into an account."""
    if request.user.is_authenticated:
        return redirect("start")
    form = ActivationForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    status = HTTPStatus.OK
    if request.method == "POST" and form.is_valid():
        try:
            user = activation.activation_redeem(
                code=form.cleaned_data["code"], email=form.cleaned_data["email"], request=request
            )
        except activation.ActivationRefused as refused:
            form.add_error(None, refused.message)
            if isinstance(refused, activation.ActivationRateLimited):
                status = HTTPStatus.TOO_MANY_REQUESTS
        else:
            return render(request, "accounts/activate_done.html", {"email": user.email})
    return render(request, "accounts/activate.html", {"form": form}, status=status)


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def activation_letters(request: HttpRequest) -> HttpResponse:
    form = ActivationLettersForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        homes = activation.activation_letter_homes(building=form.cleaned_data["building"])
        codes = activation.activation_codes_generate(homes=homes, created_by=request.user)
        if codes:
            response = HttpResponse(
                activation.activation_letters_pdf(codes), content_type="application/pdf"
            )
            response["Content-Disposition"] = 'attachment; filename="activatiebrieven.pdf"'
            # The codes exist nowhere else: no proxy or browser cache may keep a copy.
            add_never_cache_headers(response)
            return response
        form.add_error(None, _("None of these homes has a current household."))
    return render(
        request,
        "accounts/activation_letters.html",
        {"form": form, **activation.activation_letter_overview()},
    )
