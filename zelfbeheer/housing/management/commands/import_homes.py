from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zelfbeheer.housing.services import homes_import_csv


class Command(BaseCommand):
    help = "Import homes from the corporation's CSV export (upsert by unit id; a file with bad rows changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"File not found: {file}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not a UTF-8 text file.") from None
        result = homes_import_csv(text)
        if not result.ok:
            for line, reason in result.errors:
                self.stderr.write(f"line {line}: {reason}")
            raise CommandError(f"{len(result.errors)} bad row(s); nothing was imported.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged."
            )
        )
