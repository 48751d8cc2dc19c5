"""Accounts: the role groups and their model permissions, and the user's own preferences."""

from django.contrib.auth.models import Group, Permission

from .models import User
from .roles import Role

# Model permissions per role, for the Django admin and `user.has_perm`; object-level access is decided by
# the selectors of each app.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.TENANT: [],
    Role.DESK: [
        "tickets.view_repairrequest",
        "tickets.change_repairrequest",
        "tickets.view_workorder",
        "housing.view_home",
        "housing.view_household",
    ],
    Role.SOCIAL: ["social.view_socialcase", "social.change_socialcase", "social.add_socialcase"],
    Role.CONTRACTOR: [],
    Role.BOARD: [
        "budget.view_budgetline",
        "budget.view_monthlyreport",
        "budget.view_financialyear",
        "budget.change_financialyear",
        "budget.view_grant",
        "budget.view_invoice",
        "budget.view_expense",
    ],
    Role.CORPORATION: ["budget.view_monthlyreport"],
    Role.COORDINATOR: [
        "housing.add_home",
        "housing.change_home",
        "housing.view_home",
        "housing.add_household",
        "housing.change_household",
        "housing.view_household",
        "tickets.add_workcategory",
        "tickets.change_workcategory",
        "tickets.view_workcategory",
        "tickets.add_contractor",
        "tickets.change_contractor",
        "tickets.view_contractor",
        "tickets.add_contract",
        "tickets.change_contract",
        "tickets.view_contract",
        "tickets.change_slapolicy",
        "tickets.view_slapolicy",
        "tickets.change_officesettings",
        "tickets.view_officesettings",
        "budget.add_budgetline",
        "budget.change_budgetline",
        "budget.view_budgetline",
        "budget.view_monthlyreport",
        "budget.add_financialyear",
        "budget.change_financialyear",
        "budget.view_financialyear",
        "budget.add_grant",
        "budget.change_grant",
        "budget.view_grant",
        "budget.add_granttranche",
        "budget.change_granttranche",
        "budget.view_granttranche",
        "budget.view_invoice",
        "budget.view_expense",
        "budget.view_budgetentry",
    ],
}


def role_groups_ensure() -> None:
    """Create the role groups and set their permissions; safe to run on every migrate."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)


def user_set_roles(user: User, *roles: Role) -> None:
    user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
    user.__dict__.pop("_zelfbeheer_roles", None)


def user_set_language(user: User, language: str) -> None:
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
