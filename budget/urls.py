from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rapportages/<uuid:report_uuid>/pdf/", views.report_download, name="report_download"),
]
