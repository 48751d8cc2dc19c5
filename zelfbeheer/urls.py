from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

# The admin login goes through allauth, with the same rate limits and MFA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Zelfbeheer Lombok"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("health/", views.health, name="health"),
    path("bench/floor/", views.benchmark_floor, name="benchmark_floor"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("beheer/", views.coordinator_settings, name="coordinator_settings"),
    path("accounts/", include("allauth.urls")),
    path("activeren/", include("zelfbeheer.accounts.activation_urls")),
    path("api/v1/", include("tickets.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("tickets.urls")),
    path("sociaal/", include("social.urls")),
    path("budget/", include("budget.urls")),
]
