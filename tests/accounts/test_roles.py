import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import START_PAGES, Role

from ..factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_has_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_own_start_page(client, role):
    user = UserFactory(role=role)
    if role == Role.TENANT:
        HouseholdFactory(tenant=user)
    client.force_login(user)

    start = client.get(reverse("start"))
    landing = client.get(start["Location"])

    assert start["Location"] == reverse(START_PAGES[role])
    assert landing.status_code == 200


@pytest.mark.parametrize("role", [Role.SOCIAL, Role.BOARD, Role.COORDINATOR])
def test_roles_that_need_mfa_are_sent_to_set_it_up(client, role):
    client.force_login(UserFactory(role=role, totp=False))

    response = client.get(reverse(START_PAGES[role]))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    setup_page = client.get(reverse("mfa_activate_totp"))
    # allauth may ask for the password again first; it must not bounce back to the portal.
    assert setup_page.status_code == 200 or setup_page["Location"].startswith("/accounts/")


def test_desk_without_mfa_is_not_forced(client):
    client.force_login(UserFactory(role=Role.DESK, totp=False))

    assert client.get(reverse("tickets:desk_queue")).status_code == 200


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_password_login_then_second_factor(client, settings):
    user = UserFactory(role=Role.BOARD, email="penningmeester@example.org")

    response = client.post(
        reverse("account_login"),
        {"login": "penningmeester@example.org", "password": "correct-horse-battery"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert user.pk


def test_signup_is_closed(client):
    users_before = User.objects.count()

    page = client.get(reverse("account_signup"))
    client.post(
        reverse("account_signup"),
        {
            "email": "nieuw@example.org",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
    )

    assert "account/signup_closed.html" in [template.name for template in page.templates]
    assert User.objects.count() == users_before


def test_chosen_language_is_remembered_on_the_account(client):
    user = UserFactory(role=Role.TENANT)
    HouseholdFactory(tenant=user)
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "tr", "next": "/"})
    user.refresh_from_db()
    page = client.get(reverse("tickets:my_requests"), HTTP_ACCEPT_LANGUAGE="nl")

    assert user.preferred_language == "tr"
    assert '<html lang="tr"' in page.content.decode()


def test_arabic_pages_are_right_to_left(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ar")

    assert 'lang="ar" dir="rtl"' in page.content.decode()


def test_the_default_language_is_dutch(client):
    page = client.get(reverse("home"))

    assert 'lang="nl" dir="ltr"' in page.content.decode()


def test_tenant_logs_in_with_a_code_sent_by_e_mail(client, mailoutbox):
    tenant = UserFactory(role=Role.TENANT, email="bewoner@example.org")
    HouseholdFactory(tenant=tenant)

    client.post(reverse("account_request_login_code"), {"email": "bewoner@example.org"})
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mailoutbox[-1].body, re.MULTILINE).group(
        1
    )
    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == tenant.pk


def test_repeated_failed_logins_are_rate_limited(client):
    UserFactory(role=Role.DESK, email="balie@example.org")
    pages = [
        client.post(reverse("account_login"), {"login": "balie@example.org", "password": "wrong"})
        for _attempt in range(7)
    ]

    assert "Te veel" not in pages[0].content.decode()
    assert "Te veel inlogpogingen" in pages[-1].content.decode()


def test_an_account_without_a_role_gets_an_explanation_not_a_redirect_loop(client):
    client.force_login(UserFactory())

    home = client.get(reverse("home"))
    start = client.get(reverse("start"))

    assert home.status_code == 200
    assert start.status_code == 200
    assert "wijkkantoor" in start.content.decode()


def test_the_signed_in_user_comes_with_roles_and_mfa_state_in_one_query(django_assert_num_queries):
    from allauth.mfa.models import Authenticator

    from zelfbeheer.accounts.backends import PortalAllauthBackend, PortalModelBackend
    from zelfbeheer.accounts.middleware import _mfa_enabled
    from zelfbeheer.accounts.roles import has_role, roles_of

    board_member = UserFactory(role=Role.BOARD)
    board_member.groups.add(Group.objects.get(name=Role.COORDINATOR.value))
    Authenticator.objects.get_or_create(
        user=board_member, type=Authenticator.Type.TOTP, defaults={"data": {}}
    )
    without_role = UserFactory()

    for backend in (PortalModelBackend(), PortalAllauthBackend()):
        with django_assert_num_queries(1):
            user = backend.get_user(board_member.pk)
            assert roles_of(user) == {Role.BOARD, Role.COORDINATOR}
            assert has_role(user, Role.BOARD) and not has_role(user, Role.DESK)
            assert _mfa_enabled(user)
        with django_assert_num_queries(1):
            plain = backend.get_user(without_role.pk)
            assert roles_of(plain) == frozenset() and not _mfa_enabled(plain)
        assert backend.get_user(999_999) is None
