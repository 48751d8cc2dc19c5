"""Tenants' support and nuisance reports (being built)."""

urlpatterns: list = []
