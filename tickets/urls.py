from django.urls import path

from . import views

app_name = "tickets"

urlpatterns = [
    path("meldingen/", views.my_requests, name="my_requests"),
    path("meldingen/nieuw/", views.request_new, name="request_new"),
    path("meldingen/<uuid:request_uuid>/", views.request_detail, name="request_detail"),
    path("balie/", views.desk_queue, name="desk_queue"),
    path("werkorders/", views.contractor_orders, name="contractor_orders"),
    path("werkorders/link/<str:token>/", views.work_order_link, name="work_order_link"),
    path("werkorders/<uuid:work_order_uuid>/", views.work_order_detail, name="work_order_detail"),
]
