import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .accounts.roles import Role, has_role, start_page_for
from .accounts.services import user_set_language
from .celery import app as celery_app

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    start_page = start_page_for(request.user)
    if start_page is not None:
        return redirect(start_page)
    return render(request, "home.html")


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own start page after login; an account without a role sees the home page."""
    start_page = start_page_for(request.user)
    if start_page is None:
        return render(request, "home.html", {"account_without_role": True})
    return redirect(start_page)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, and the choice is remembered on the account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_set_language(request.user, language)
    return response


@login_required
def coordinator_settings(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.COORDINATOR):
        return render(request, "403.html", status=403)
    from tickets.work_orders import contracts_expiring

    return render(
        request, "coordinator_settings.html", {"expiring_contracts": contracts_expiring()}
    )


def _check(name: str, probe) -> tuple[str, bool]:
    try:
        probe()
    except Exception:
        logger.exception("health check %s failed", name)
        return name, False
    return name, True


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    cache.set("health-check", "ok", 10)
    if cache.get("health-check") != "ok":
        raise RuntimeError("cache did not return what was stored")


def _broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    results = dict(
        _check(name, probe)
        for name, probe in (("database", _database), ("cache", _cache), ("broker", _broker))
    )
    healthy = all(results.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            **{name: "ok" if ok else "error" for name, ok in results.items()},
        },
        status=200 if healthy else 503,
    )


def benchmark_floor(request: HttpRequest) -> JsonResponse:
    """The benchmark's floor: the framework plus one indexed query. Off (404) unless BENCHMARK_FLOOR_VIEW."""
    from django.conf import settings
    from django.http import Http404

    from zelfbeheer.housing.models import Home

    if not settings.BENCHMARK_FLOOR_VIEW:
        raise Http404
    unit_id = Home.objects.filter(pk=request.GET.get("home", 1)).values_list("unit_id", flat=True)
    return JsonResponse({"unit_id": next(iter(unit_id), None)})
