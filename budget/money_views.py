"""Expenses, grants, the drill-down behind a budget figure, and table exports (being built)."""

urlpatterns: list = []
