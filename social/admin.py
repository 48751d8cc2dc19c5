"""Read-only admin views: case files for the social role (each opening logged), the log for the privacy officer.

Permissions come from roles, not Django's model permissions, so a superuser without the role sees neither.
Other social models are reached through the case pages of the app, which log every read.
"""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from zelfbeheer.accounts.roles import Role, has_role

from .models import AccessPart, CaseAccessLog, SocialCase
from .services import access_log_record


class _ReadOnlyAdmin(admin.ModelAdmin):
    role: Role

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_role(request.user, self.role)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return has_role(request.user, self.role)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict:
        return {}


@admin.register(SocialCase)
class SocialCaseAdmin(_ReadOnlyAdmin):
    role = Role.SOCIAL
    list_display = ("number", "case_type", "status", "opened_at")
    list_filter = ("case_type", "status")
    search_fields = ("number",)

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).filter(anonymised_at__isnull=True)

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if self.has_view_permission(request):
            access_log_record(request.user, part=AccessPart.LIST, path=request.path)
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        # A refused POST shows nothing, so only a page that shows the case is logged.
        if request.method != "POST" and self.has_view_permission(request):
            case = self.get_object(request, object_id)
            if case is not None:
                access_log_record(request.user, part=AccessPart.ADMIN, case=case, path=request.path)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(CaseAccessLog)
class CaseAccessLogAdmin(_ReadOnlyAdmin):
    role = Role.COORDINATOR
    list_display = ("at", "user", "case", "home", "part", "path")
    fields = list_display
    readonly_fields = list_display
    list_filter = ("part",)
    list_select_related = ("user", "case", "household__home")
    search_fields = ("case__number", "user__email")
    date_hierarchy = "at"

    @admin.display(description=_("home"))
    def home(self, entry: CaseAccessLog) -> str:
        # The home's unit id identifies the household for the privacy officer without naming it.
        return entry.household.home.unit_id if entry.household else "–"
