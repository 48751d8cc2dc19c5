"""Reads of social cases: only the social role opens them."""

from django.db.models import QuerySet

from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import Role, has_role

from .models import SocialCase


def social_cases_visible_to(user: User) -> QuerySet[SocialCase]:
    if has_role(user, Role.SOCIAL):
        return SocialCase.objects.prefetch_related("assigned_workers")
    return SocialCase.objects.none()


def social_cases_assigned_to(user: User) -> QuerySet[SocialCase]:
    return social_cases_visible_to(user).filter(assigned_workers=user)
