"""Invoices: entered, approved with four eyes, paid (being built)."""

urlpatterns: list = []
