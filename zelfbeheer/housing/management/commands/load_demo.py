from django.conf import settings
from django.core.management.base import BaseCommand

from zelfbeheer.accounts.roles import ROLE_LABELS
from zelfbeheer.demo import demo_load


class Command(BaseCommand):
    help = "Load the Lombok demo data (353 homes, one user per role, contractors, a budget year). Idempotent."

    def handle(self, *args, **options):
        logins = demo_load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo logins (e-mail / password):"))
        for login in logins:
            line = f"  {ROLE_LABELS[login.role]!s:<20} {login.email:<28} {login.password}"
            if login.totp_secret:
                line += f"   TOTP secret {login.totp_secret}"
            self.stdout.write(line)
        bypass = settings.MFA_TOTP_INSECURE_BYPASS_CODE if settings.DEBUG else None
        if bypass:
            self.stdout.write(
                f"  Two-factor code for the demo staff accounts (development only): {bypass}"
            )
        else:
            self.stdout.write(
                "  Social, board and coordinator log in with the TOTP secret in an authenticator app."
            )
