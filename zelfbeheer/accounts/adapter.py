from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up freely: tenants activate with the code from their letter, staff are invited."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
