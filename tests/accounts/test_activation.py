import io
import re
from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from zelfbeheer.accounts.activation import (
    CODE_ALPHABET,
    ActivationRefused,
    activation_codes_generate,
    activation_letters_pdf,
    activation_redeem,
    code_hash,
    code_normalise,
)
from zelfbeheer.accounts.models import ActivationCode, User
from zelfbeheer.accounts.roles import Role, roles_of

from ..factories import BuildingFactory, HomeFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db

INVALID = "Deze code is niet geldig"
INVALID_EN = "This code is not valid. Check the letter, or call the neighbourhood office."
CODE_FORMAT = re.compile(rf"^[{CODE_ALPHABET}]{{5}}-[{CODE_ALPHABET}]{{5}}$")


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def invalid_message_in(page: str) -> bool:
    # The interface is Dutch by default; until the catalogue has the message the English msgid shows.
    return INVALID in page or INVALID_EN in page


@pytest.fixture
def code_for_household():
    """A current household in its home, and the raw code from a freshly generated letter."""
    household = HouseholdFactory()
    [(_home, code)] = activation_codes_generate(homes=[household.home], created_by=None)
    return household, code


def activate(client, code, email="nieuw@example.org", again=None):
    return client.post(
        reverse("account_activate"),
        {"code": code, "email": email, "email_again": again or email},
    )


# Generating codes


def test_each_home_gets_its_own_code_and_only_the_hash_is_stored():
    homes = [HouseholdFactory().home for _i in range(3)]

    codes = activation_codes_generate(homes=homes, created_by=None)

    raw = [code for _home, code in codes]
    rows = ActivationCode.objects.filter(home__in=homes)
    assert [home for home, _code in codes] == homes
    assert len(set(raw)) == 3
    assert all(len(code) == 10 and set(code) <= set(CODE_ALPHABET) for code in raw)
    assert {row.code_hash for row in rows} == {code_hash(code) for code in raw}
    stored = " ".join(str(value) for row in rows for value in model_to_dict(row).values())
    assert not any(code in stored or code.lower() in stored for code in raw)
    assert all(row.expires_at > timezone.now() + timedelta(days=89) for row in rows)


def test_codes_are_normalised_on_input():
    assert code_normalise(" abcde - fghjk ") == "ABCDEFGHJK"
    assert code_hash("abcde-fghjk") == code_hash("ABCDEFGHJK")


def test_a_new_code_for_a_home_invalidates_the_older_unused_one(client):
    household = HouseholdFactory()
    [(_home, old_code)] = activation_codes_generate(homes=[household.home], created_by=None)
    [(_home, new_code)] = activation_codes_generate(homes=[household.home], created_by=None)

    refused = activate(client, old_code)
    accepted = activate(client, new_code)

    assert invalid_message_in(refused.content.decode())
    assert accepted.status_code == 200
    assert "accounts/activate_done.html" in [t.name for t in accepted.templates]
    assert User.objects.filter(email="nieuw@example.org").count() == 1


def test_generating_codes_does_not_touch_other_homes():
    mine, other = HouseholdFactory().home, HouseholdFactory().home
    [(_home, other_code)] = activation_codes_generate(homes=[other], created_by=None)

    activation_codes_generate(homes=[mine], created_by=None)

    assert ActivationCode.objects.get(code_hash=code_hash(other_code)).expires_at > timezone.now()


# The letters


def test_the_letters_are_a_pdf_with_one_page_per_home_with_address_and_code():
    households = [HouseholdFactory(name=f"Familie Geheim {n}") for n in range(3)]
    codes = activation_codes_generate(homes=[h.home for h in households], created_by=None)

    pages = pdf_pages(activation_letters_pdf(codes))

    assert len(pages) == 3
    for page, (home, code) in zip(pages, codes, strict=True):
        assert home.address in page
        assert home.postcode in page
        assert f"{code[:5]}-{code[5:]}" in page
        assert "/activeren/" in page
        assert "Geheim" not in page


# Redeeming


def test_redeeming_a_code_makes_a_tenant_account_in_the_household(
    client, code_for_household, mailoutbox, django_capture_on_commit_callbacks
):
    household, code = code_for_household

    with django_capture_on_commit_callbacks(execute=True):
        response = activate(client, f"{code[:5].lower()} {code[5:]}", email="Nieuw@Example.org")

    user = User.objects.get(email="nieuw@example.org")
    address = EmailAddress.objects.get(user=user)
    row = ActivationCode.objects.get(code_hash=code_hash(code))
    assert response.status_code == 200
    assert "nieuw@example.org" in response.content.decode()
    assert list(household.members.all()) == [user]
    assert roles_of(user) == {Role.TENANT}
    assert not user.has_usable_password()
    assert (address.email, address.primary, address.verified) == ("nieuw@example.org", True, False)
    assert [mail.to for mail in mailoutbox] == [["nieuw@example.org"]]
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    assert row.used_by == user
    assert row.used_at is not None
    assert "_auth_user_id" not in client.session


def test_the_code_from_the_qr_link_is_filled_in(client):
    page = client.get(reverse("account_activate"), {"code": "ABCDE-FGHJK"})

    assert page.status_code == 200
    assert 'value="ABCDE-FGHJK"' in page.content.decode()


def test_a_code_works_only_once(client, code_for_household):
    household, code = code_for_household
    activate(client, code, email="eerste@example.org")

    second = activate(client, code, email="tweede@example.org")

    assert invalid_message_in(second.content.decode())
    assert not User.objects.filter(email="tweede@example.org").exists()
    assert household.members.count() == 1


def test_an_expired_code_is_refused(client, code_for_household):
    household, code = code_for_household
    ActivationCode.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = activate(client, code)

    assert invalid_message_in(response.content.decode())
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert household.members.count() == 0
    assert ActivationCode.objects.get().used_at is None


def test_a_home_without_a_current_household_is_refused(client):
    household = HouseholdFactory(end_date=date(2021, 1, 1))
    [(_home, code)] = activation_codes_generate(homes=[household.home], created_by=None)

    response = activate(client, code)

    assert invalid_message_in(response.content.decode())
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert household.members.count() == 0


def test_a_code_from_before_the_current_tenancy_does_not_open_the_new_household(client):
    """A letter for the previous tenants must not let them into the household that moved in after."""
    previous = HouseholdFactory(start_date=date(2015, 1, 1))
    [(_home, code)] = activation_codes_generate(homes=[previous.home], created_by=None)
    previous.end_date = timezone.localdate() - timedelta(days=1)
    previous.save()
    current = HouseholdFactory(
        home=previous.home, start_date=timezone.localdate() + timedelta(days=1)
    )

    response = activate(client, code)

    assert invalid_message_in(response.content.decode())
    assert current.members.count() == 0


def test_a_wrong_code_gets_the_same_message_and_changes_nothing(client, code_for_household):
    users_before = User.objects.count()

    wrong_but_well_formed = activate(client, "ABCDE-FGHJK")
    wrong_format = activate(client, "0000")

    for response in (wrong_but_well_formed, wrong_format):
        assert response.status_code == 200
        assert invalid_message_in(response.content.decode())
    assert User.objects.count() == users_before
    assert not ActivationCode.objects.filter(used_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("email", "again"),
    [("geen-adres", "geen-adres"), ("een@example.org", "twee@example.org")],
)
def test_a_bad_or_mismatching_e_mail_is_refused_by_the_form(
    client, code_for_household, email, again, mailoutbox
):
    _household, code = code_for_household
    users_before = User.objects.count()

    response = activate(client, code, email=email, again=again)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert User.objects.count() == users_before
    assert not EmailAddress.objects.exists()
    assert ActivationCode.objects.get().used_at is None
    assert mailoutbox == []


def test_an_existing_account_without_a_home_is_reused(client, code_for_household):
    household, code = code_for_household
    desk = UserFactory(role=Role.DESK, email="balie@example.org")

    activate(client, code, email="balie@example.org")

    assert list(household.members.all()) == [desk]
    assert roles_of(User.objects.get(pk=desk.pk)) == {Role.DESK, Role.TENANT}
    assert User.objects.filter(email="balie@example.org").count() == 1


def test_an_account_in_another_current_household_is_refused(client, code_for_household):
    household, code = code_for_household
    neighbour = UserFactory(role=Role.TENANT, email="buren@example.org")
    HouseholdFactory(tenant=neighbour)

    response = activate(client, code, email="buren@example.org")

    assert "buren@example.org" not in [m.email for m in household.members.all()]
    assert response.context["form"].non_field_errors()
    assert ActivationCode.objects.get(home=household.home).used_at is None


def test_the_service_refuses_with_a_message(rf, code_for_household):
    request = rf.post("/activeren/")

    with pytest.raises(ActivationRefused) as refused:
        activation_redeem(code="ABCDE-FGHJK", email="x@example.org", request=request)

    assert refused.value.message


# Rate limit


def test_guessing_is_rate_limited_per_ip(client, code_for_household):
    _household, code = code_for_household
    guesses = [activate(client, f"{CODE_ALPHABET[n]}BCDE-FGHJK") for n in range(10)]

    limited = activate(client, code)

    assert [g.status_code for g in guesses] == [200] * 10
    assert limited.status_code == 429
    assert "Te veel" in limited.content.decode() or "Too many attempts" in limited.content.decode()
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert ActivationCode.objects.get().used_at is None


def test_guessing_one_letter_from_many_addresses_is_rate_limited(client, code_for_household):
    _household, code = code_for_household
    prefix = code[:5]
    for n, tail in enumerate(["AAAAA", "BBBBB", "CCCCC", "DDDDD", "EEEEE"]):
        activate(client, prefix + tail, email=f"raden{n}@example.org")
        # A different IP each time: only the per-code limit can stop this.
        client.defaults["REMOTE_ADDR"] = f"10.0.0.{n + 1}"

    limited = activate(client, code)

    assert limited.status_code == 429
    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_successful_activations_do_not_count_towards_the_limit(client):
    """The neighbourhood office helps many tenants from one address."""
    codes = activation_codes_generate(
        homes=[HouseholdFactory().home for _i in range(12)], created_by=None
    )

    responses = [
        activate(client, code, email=f"bewoner{n}@example.org")
        for n, (_home, code) in enumerate(codes)
    ]

    assert {r.status_code for r in responses} == {200}
    assert User.objects.filter(email__startswith="bewoner").count() == 12


def test_a_logged_in_user_is_sent_to_the_start_page(client):
    client.force_login(UserFactory(role=Role.DESK))

    response = client.get(reverse("account_activate"))

    assert response.status_code == 302
    assert response["Location"] == reverse("start")


# Letters page permissions


@pytest.mark.parametrize("role", [Role.TENANT, Role.DESK])
def test_only_coordinators_make_letters(client, role):
    client.force_login(UserFactory(role=role))
    HouseholdFactory()

    page = client.get(reverse("activation_letters"))
    post = client.post(reverse("activation_letters"), {"building": ""})

    assert (page.status_code, post.status_code) == (403, 403)
    assert not ActivationCode.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("activation_letters"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_coordinator_gets_the_letters_as_a_pdf(client):
    coordinator = UserFactory(role=Role.COORDINATOR)
    client.force_login(coordinator)
    households = [HouseholdFactory() for _i in range(2)]
    HomeFactory()  # empty: no letter

    page = client.get(reverse("activation_letters"))
    response = client.post(reverse("activation_letters"), {"building": ""})

    assert page.status_code == 200
    assert page.context["homes"] == 3
    assert page.context["with_household"] == 2
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="activatiebrieven.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    assert len(pdf_pages(response.content)) == 2
    assert set(ActivationCode.objects.values_list("home", flat=True)) == {
        h.home.pk for h in households
    }
    assert set(ActivationCode.objects.values_list("created_by", flat=True)) == {coordinator.pk}


def test_a_coordinator_can_make_letters_for_one_building(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    building = BuildingFactory()
    inside = HouseholdFactory(home=HomeFactory(building=building))
    HouseholdFactory()

    response = client.post(reverse("activation_letters"), {"building": building.pk})

    pages = pdf_pages(response.content)
    assert len(pages) == 1
    assert inside.home.address in pages[0]
    assert list(ActivationCode.objects.values_list("home", flat=True)) == [inside.home.pk]


# The whole way in


def test_after_confirming_the_tenant_logs_in_with_a_code(
    client, code_for_household, mailoutbox, django_capture_on_commit_callbacks
):
    household, code = code_for_household
    with django_capture_on_commit_callbacks(execute=True):
        activate(client, code, email="bewoner@example.org")
    confirm_url = re.search(
        r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mailoutbox[0].body
    ).group(1)

    client.post(confirm_url)
    client.post(reverse("account_request_login_code"), {"email": "bewoner@example.org"})
    login_code = re.search(
        r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mailoutbox[-1].body, re.MULTILINE
    ).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": login_code})
    start = client.get(reverse("start"))

    user = User.objects.get(email="bewoner@example.org")
    assert EmailAddress.objects.get(user=user).verified
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    assert start["Location"] == reverse("tickets:my_requests")
    assert client.get(start["Location"]).status_code == 200
    assert household.members.filter(pk=user.pk).exists()


def test_a_code_works_until_the_end_of_the_day_printed_on_the_letter(db, settings):
    from datetime import timedelta

    from django.utils import timezone

    from zelfbeheer.accounts.activation import activation_codes_generate
    from zelfbeheer.accounts.models import ActivationCode

    settings.ACTIVATION_CODE_VALID_DAYS = 90
    activation_codes_generate(homes=[HouseholdFactory().home], created_by=None)

    expires = timezone.localtime(ActivationCode.objects.get().expires_at)
    assert expires.date() == timezone.localdate() + timedelta(days=90)
    assert (expires.hour, expires.minute) == (23, 59)
