from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import schema, views  # noqa: F401  (schema registers how the key is described)

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("work-orders/", views.WorkOrderList.as_view(), name="work_order_list"),
    path("work-orders/<uuid:uuid>/", views.WorkOrderDetail.as_view(), name="work_order_detail"),
    path("work-orders/<uuid:uuid>/accept", views.WorkOrderAccept.as_view(), name="accept"),
    path("work-orders/<uuid:uuid>/decline", views.WorkOrderDecline.as_view(), name="decline"),
    path("work-orders/<uuid:uuid>/plan", views.WorkOrderPlan.as_view(), name="plan"),
    path("work-orders/<uuid:uuid>/complete", views.WorkOrderComplete.as_view(), name="complete"),
    path("work-orders/<uuid:uuid>/attempt", views.WorkOrderAttempt.as_view(), name="attempt"),
    # Anything else, even a path with a newline in it, is a JSON 404 rather than the HTML page.
    re_path(r"^[\s\S]*$", views.NotFoundView.as_view(), name="not_found"),
]
