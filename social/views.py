from django.shortcuts import render

from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.roles import Role

from .selectors import social_cases_assigned_to


@role_required(Role.SOCIAL)
def my_cases(request):
    return render(
        request, "social/my_cases.html", {"cases": social_cases_assigned_to(request.user)}
    )
