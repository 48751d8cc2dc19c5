from django.urls import path

from . import activation_views

urlpatterns = [
    path("", activation_views.account_activate, name="account_activate"),
    path("brieven/", activation_views.activation_letters, name="activation_letters"),
]
