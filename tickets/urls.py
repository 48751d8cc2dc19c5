from django.urls import path

from . import (
    desk_views,
    intake_views,
    matrix_views,
    photo_views,
    report_views,
    tracking_views,
    views,
)

app_name = "tickets"

urlpatterns = [
    path("meldingen/", views.my_requests, name="my_requests"),
    path("meldingen/nieuw/", report_views.report_start, name="request_new"),
    path("meldingen/nieuw/<slug:trade_code>/", report_views.report_trade, name="report_trade"),
    path(
        "meldingen/nieuw/<slug:trade_code>/<slug:defect_code>/",
        report_views.report_defect,
        name="report_defect",
    ),
    path("meldingen/<uuid:request_uuid>/", tracking_views.request_detail, name="request_detail"),
    path(
        "meldingen/fotoconcept/<str:token>/",
        report_views.photo_draft_thumbnail,
        name="photo_draft_thumbnail",
    ),
    path(
        "meldingen/<uuid:request_uuid>/ook-bij-mij/",
        report_views.report_affects_me_too,
        name="affects_me_too",
    ),
    path(
        "meldingen/<uuid:request_uuid>/aanvullen/",
        tracking_views.request_action,
        {"action": "add_info"},
        name="request_add_info",
    ),
    path(
        "meldingen/<uuid:request_uuid>/annuleren/",
        tracking_views.request_action,
        {"action": "cancel"},
        name="request_cancel",
    ),
    path(
        "meldingen/<uuid:request_uuid>/heropenen/",
        tracking_views.request_action,
        {"action": "reopen"},
        name="request_reopen",
    ),
    path(
        "meldingen/<uuid:request_uuid>/beoordelen/",
        tracking_views.request_action,
        {"action": "rate"},
        name="request_rate",
    ),
    path(
        "meldingen/<uuid:request_uuid>/afspraak.ics",
        tracking_views.request_calendar,
        name="request_calendar",
    ),
    path("fotos/<uuid:photo_uuid>/<str:variant>/", photo_views.photo_file, name="photo_file"),
    path("beheer/verantwoordelijkheden/", matrix_views.matrix_overview, name="matrix_overview"),
    path(
        "beheer/verantwoordelijkheden/regel/",
        matrix_views.matrix_rule_set,
        name="matrix_rule_set",
    ),
    path(
        "beheer/verantwoordelijkheden/regel/verwijderen/",
        matrix_views.matrix_rule_delete,
        name="matrix_rule_delete",
    ),
    path("beheer/verantwoordelijkheden/fasen/", matrix_views.matrix_phases, name="matrix_phases"),
    path(
        "beheer/verantwoordelijkheden/proefmelding/",
        matrix_views.matrix_preview,
        name="matrix_preview",
    ),
    path(
        "beheer/verantwoordelijkheden/wijzigingen/",
        matrix_views.matrix_history,
        name="matrix_history",
    ),
    path("balie/", desk_views.desk_queue, name="desk_queue"),
    path("balie/bulk/", desk_views.desk_bulk, name="desk_bulk"),
    path("balie/weergave-opslaan/", desk_views.desk_save_filter, name="desk_save_filter"),
    path("balie/melding/<uuid:request_uuid>/", desk_views.desk_triage, name="desk_triage"),
    path(
        "balie/melding/<uuid:request_uuid>/klok-pauze/",
        desk_views.desk_sla_pause,
        name="desk_sla_pause",
    ),
    path(
        "balie/melding/<uuid:request_uuid>/klok-verder/",
        desk_views.desk_sla_resume,
        name="desk_sla_resume",
    ),
    path(
        "balie/melding/<uuid:request_uuid>/opdracht-intrekken/",
        desk_views.desk_work_order_cancel,
        name="desk_work_order_cancel",
    ),
    path("balie/bellijst/", views.desk_call_list, name="desk_call_list"),
    path("balie/signalen/", desk_views.desk_signals, name="desk_signals"),
    path("doorverwijzingen/", desk_views.referrals, name="referrals"),
    path("balie/intake/", intake_views.intake_search, name="intake_search"),
    path(
        "balie/intake/<uuid:household_uuid>/",
        intake_views.intake_household,
        name="intake_household",
    ),
    path("balie/bon/<uuid:request_uuid>/", intake_views.intake_receipt, name="intake_receipt"),
    path("balie/bezoeken/", intake_views.visits_today, name="visits_today"),
    path("balie/bezoeken/nieuw/", intake_views.visit_new, name="visit_new"),
    path("werkorders/", views.contractor_orders, name="contractor_orders"),
    path("werkorders/link/<str:token>/", views.work_order_link, name="work_order_link"),
    path(
        "werkorders/link/<str:token>/nieuw/",
        views.work_order_link_renew,
        name="work_order_link_renew",
    ),
    path("werkorders/<uuid:work_order_uuid>/", views.work_order_detail, name="work_order_detail"),
]
