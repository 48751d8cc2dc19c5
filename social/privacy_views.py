"""The privacy officer's access log and a household's right of access (being built)."""

urlpatterns: list = []
