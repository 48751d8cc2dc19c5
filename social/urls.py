from django.urls import path

from . import privacy_views, tenant_views, views

app_name = "social"

urlpatterns = [
    path("", views.case_list, name="my_cases"),
    path("nieuw/", views.case_create, name="case_create"),
    path("<uuid:case_uuid>/", views.case_detail, name="case_detail"),
    path("<uuid:case_uuid>/bewerken/", views.case_edit, name="case_edit"),
    path("<uuid:case_uuid>/status/", views.case_status, name="case_status"),
    path("<uuid:case_uuid>/medewerkers/", views.case_workers, name="case_workers"),
    path("<uuid:case_uuid>/partij/", views.party_add, name="party_add"),
    path(
        "<uuid:case_uuid>/partij/<int:party_id>/verwijderen/",
        views.party_remove,
        name="party_remove",
    ),
    path(
        "<uuid:case_uuid>/partij/<int:party_id>/uitnodigen/",
        views.party_invite,
        name="party_invite",
    ),
    path("<uuid:case_uuid>/notitie/", views.note_add, name="note_add"),
    path("<uuid:case_uuid>/actie/", views.action_add, name="action_add"),
    path("<uuid:case_uuid>/actie/<int:action_id>/klaar/", views.action_done, name="action_done"),
    path("<uuid:case_uuid>/gesprek/", views.session_add, name="session_add"),
    path("<uuid:case_uuid>/doorverwijzing/", views.referral_add, name="referral_add"),
    path("<uuid:case_uuid>/melding/", views.repair_request_link, name="repair_request_link"),
    path(
        "<uuid:case_uuid>/melding/<int:request_id>/ontkoppelen/",
        views.repair_request_unlink,
        name="repair_request_unlink",
    ),
    *privacy_views.urlpatterns,
    *tenant_views.urlpatterns,
]
