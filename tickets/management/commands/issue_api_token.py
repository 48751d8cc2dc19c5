"""Issue an API key to a contractor; the key is printed once and only its hash is stored."""

from django.core.management.base import BaseCommand, CommandError

from tickets.api import selectors, services


class Command(BaseCommand):
    help = "Issue an API key for a contractor (by chamber of commerce number or id); shown once."

    def add_arguments(self, parser):
        parser.add_argument("contractor", help="chamber of commerce (KvK) number or contractor id")
        parser.add_argument("name", help="what the key is for, e.g. 'planning system'")

    def handle(self, *args, contractor: str, name: str, **options):
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("Give the key a name of 1 to 100 characters.")
        found = selectors.contractor_find(contractor)
        if found is None:
            raise CommandError(
                f"No single contractor with chamber of commerce number or id {contractor!r}."
            )
        if not found.is_active:
            raise CommandError(f"{found} is not active; activate the contractor first.")
        raw_token = services.api_token_issue(found, name)
        self.stderr.write(f"API key '{name}' for {found} (kvk {found.kvk_number or '-'}):")
        self.stdout.write(raw_token)
        self.stderr.write(
            "Store it now: it is not shown again. Send it as 'Authorization: Token <key>'."
        )
