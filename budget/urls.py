from django.urls import path

from . import invoice_views, money_views, report_views, views

app_name = "budget"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rapportages/<uuid:report_uuid>/pdf/", views.report_download, name="report_download"),
    *invoice_views.urlpatterns,
    *money_views.urlpatterns,
    *report_views.urlpatterns,
]
