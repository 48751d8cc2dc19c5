"""Account activation for tenants: what the rest of the project may ask of it.

- `activation_codes_generate` makes one fresh code per home for the letters; earlier unused codes of
  those homes stop working. The raw codes are returned once and never stored.
- `activation_letters_pdf` renders those codes as letters, one A4 page per home.
- `activation_redeem` turns a code and an e-mail address into a tenant account in the home's current
  household, and has allauth send the e-mail confirmation.
- `activation_letter_homes` / `activation_letter_overview` are the reads the letters page needs.
"""

import base64
import io
import re
import secrets
from collections.abc import Iterable
from datetime import datetime, time, timedelta

import qrcode
from allauth.account.internal.flows.email_verification import send_verification_email_to_address
from allauth.account.models import EmailAddress
from allauth.account.utils import filter_users_by_email
from allauth.core.context import request_context
from allauth.core.internal import ratelimit
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from budget.pdf import html_to_pdf
from zelfbeheer.housing.models import Building, Home, Household

from .models import ActivationCode, User
from .roles import Role, roles_of
from .services import user_set_roles

# No 0/O, 1/I/L: the code is typed over from paper, often on a phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
# Failed attempts are limited per IP and per first half of the code (settings.ACTIVATION_RATE_LIMITS).
RATE_LIMIT_APP = "zelfbeheer.accounts"
RATE_LIMIT_ACTION = "activate"


class ActivationRefused(Exception):
    """The code or the e-mail address cannot be used; `message` is safe to show to the visitor."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ActivationRateLimited(ActivationRefused):
    pass


def code_invalid_message() -> str:
    # One message for unknown, used, expired and superseded codes, so a guesser learns nothing.
    return _("This code is not valid. Check the letter, or call the neighbourhood office.")


def code_normalise(code: str) -> str:
    return re.sub(r"[\s\-]", "", code).upper()


def code_is_well_formed(code: str) -> bool:
    normalised = code_normalise(code)
    return len(normalised) == CODE_LENGTH and all(c in CODE_ALPHABET for c in normalised)


def code_display(code: str) -> str:
    normalised = code_normalise(code)
    half = CODE_LENGTH // 2
    return f"{normalised[:half]}-{normalised[half:]}"


def code_hash(code: str) -> str:
    """Keyed with SECRET_KEY: ~50 bits are too few to resist an offline search of a leaked table of plain
    hashes. Rotating SECRET_KEY voids printed letters; print new ones then."""
    return salted_hmac(
        "zelfbeheer.activation-code", code_normalise(code), algorithm="sha256"
    ).hexdigest()


def _code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def _letter_expiry() -> datetime:
    """The end of the last valid day in Amsterdam: the letter prints a date, so the whole day counts."""
    last_day = timezone.localdate() + timedelta(days=_valid_days())
    return timezone.make_aware(datetime.combine(last_day, time.max))


def _valid_days() -> int:
    return settings.ACTIVATION_CODE_VALID_DAYS


def activation_url(code: str | None = None) -> str:
    url = settings.SITE_URL.rstrip("/") + reverse("account_activate")
    return f"{url}?code={code_display(code)}" if code else url


def activation_letter_homes(*, building: Building | None = None) -> QuerySet[Home]:
    """Homes that can receive a letter: only a home with a current household has anyone to activate."""
    # Exists, not a join filter: `households__end_date__isnull` also matches homes with no household.
    current = Household.objects.filter(home=OuterRef("pk"), end_date__isnull=True)
    homes = Home.objects.filter(Exists(current)).select_related("building")
    if building is not None:
        homes = homes.filter(building=building)
    return homes.order_by("street", "house_number", "house_number_addition")


def activation_letter_overview() -> dict[str, int]:
    return {"homes": Home.objects.count(), "with_household": activation_letter_homes().count()}


def activation_codes_generate(
    *, homes: Iterable[Home], created_by: User | None
) -> list[tuple[Home, str]]:
    """One new code per home; the raw codes exist only in the returned list, for the letters.

    Not atomic with printing on purpose: if rendering the letters fails, generating again simply
    supersedes these codes, and no letter carrying them has left the building.
    """
    homes = list(homes)
    now = timezone.now()
    generated = [(home, _code_new()) for home in homes]
    with transaction.atomic():
        ActivationCode.objects.filter(
            home__in=homes, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        ActivationCode.objects.bulk_create(
            ActivationCode(
                home=home,
                code_hash=code_hash(code),
                expires_at=_letter_expiry(),
                created_by=created_by,
            )
            for home, code in generated
        )
    return generated


def _qr_data_uri(data: str) -> str:
    # PNG, not SVG: weasyprint lays out a page with a PNG in about half the time, which matters
    # when all 353 letters are made in one request.
    buffer = io.BytesIO()
    qrcode.make(data, box_size=8, border=2).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def activation_letters_pdf(codes: Iterable[tuple[Home, str]]) -> bytes:
    """The letters as one PDF; each page carries only the address, the code and how to use it."""
    letters = [
        {
            "home": home,
            "code": code_display(code),
            "qr": _qr_data_uri(activation_url(code)),
        }
        for home, code in codes
    ]
    html = render_to_string(
        "accounts/activation_letter.html",
        {
            "letters": letters,
            "activation_url": activation_url(),
            "valid_until": timezone.localdate(_letter_expiry()),
            # Non-breaking spaces: a phone number split over two lines gets misdialled.
            "office_phone_number": settings.OFFICE_PHONE_NUMBER.replace(" ", "\u00a0"),
        },
    )
    return html_to_pdf(html)


def _rate_limit_consume(request: HttpRequest, code: str) -> ratelimit.RateLimitUsage | None:
    return ratelimit.consume(
        request,
        app=RATE_LIMIT_APP,
        action=RATE_LIMIT_ACTION,
        config={RATE_LIMIT_ACTION: settings.ACTIVATION_RATE_LIMITS},
        key=code_normalise(code)[: CODE_LENGTH // 2],
    )


def _user_for_household(email: str, household: Household) -> User:
    """The account to add: a new one, or the existing one with this address if it lives nowhere else."""
    existing = filter_users_by_email(email)
    if not existing:
        return User.objects.create_user(email=email, password=None)
    if len(existing) > 1 or not existing[0].is_active:
        raise ActivationRefused(_email_refused_message())
    user = existing[0]
    if user.households.filter(end_date__isnull=True).exclude(pk=household.pk).exists():
        raise ActivationRefused(_email_refused_message())
    return user


def _email_refused_message() -> str:
    return _(
        "This e-mail address cannot be linked to this home. Use another e-mail address, "
        "or call the neighbourhood office."
    )


def _confirmation_send(request: HttpRequest, address: EmailAddress) -> None:
    # allauth's mail reads the request from its middleware's context, which an outer transaction
    # (a test, a caller's atomic block) may have outlived by the time this runs.
    with request_context(request):
        send_verification_email_to_address(request, address)


def _redeem_locked(*, code: str, email: str, request: HttpRequest) -> User:
    now = timezone.now()
    activation_code = (
        ActivationCode.objects.select_for_update()
        .filter(code_hash=code_hash(code), used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if activation_code is None:
        raise ActivationRefused(code_invalid_message())
    household = Household.objects.filter(
        home_id=activation_code.home_id, end_date__isnull=True
    ).first()
    # A code printed before the current tenancy began was meant for the previous household.
    if household is None or household.start_date > timezone.localdate(activation_code.created_at):
        raise ActivationRefused(code_invalid_message())

    user = _user_for_household(email, household)
    user_set_roles(user, *(roles_of(user) | {Role.TENANT}))
    household.members.add(user)
    activation_code.used_at = now
    activation_code.used_by = user
    activation_code.save(update_fields=["used_at", "used_by"])

    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        address = EmailAddress.objects.create(
            user=user,
            email=email,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
            verified=False,
        )
    if not address.verified:
        transaction.on_commit(lambda: _confirmation_send(request, address))
    return user


def activation_redeem(*, code: str, email: str, request: HttpRequest) -> User:
    """Redeem a letter's code for `email`; raises ActivationRefused (or ActivationRateLimited).

    Only failed attempts count towards the rate limit, so a neighbourhood office helping many
    tenants from one address is not locked out.
    """
    usage = _rate_limit_consume(request, code)
    if usage is None:
        raise ActivationRateLimited(
            _(
                "Too many attempts. Wait a quarter of an hour and try again, "
                "or call the neighbourhood office."
            )
        )
    email = email.strip().lower()
    with transaction.atomic():
        user = _redeem_locked(code=code, email=email, request=request)
    usage.rollback()
    return user
