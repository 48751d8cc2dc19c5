from datetime import date

from django.core.management.base import BaseCommand, CommandError

from budget.monthly_reports import monthly_report_generate


class Command(BaseCommand):
    help = "Generate the monthly report for Bo-Ex as a PDF, e.g. `monthly_report 2026-10`."

    def add_arguments(self, parser):
        parser.add_argument("period", help="The month, as YYYY-MM.")

    def handle(self, *args, period: str, **options):
        try:
            year, month = (int(part) for part in period.split("-"))
            first_day = date(year, month, 1)
        except ValueError:
            raise CommandError(f"{period!r} is not a month in the form YYYY-MM.") from None
        report = monthly_report_generate(first_day)
        self.stdout.write(
            self.style.SUCCESS(
                f"Report {report} written to {report.pdf.path} (sha256 {report.sha256})."
            )
        )
