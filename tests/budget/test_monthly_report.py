import hashlib
import io
import logging
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from budget.models import MonthlyReport
from budget.monthly_reports import monthly_report_generate
from budget.tasks import generate_monthly_report
from tickets import services
from zelfbeheer.accounts.roles import Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_text(report: MonthlyReport) -> str:
    with report.pdf.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


@pytest.fixture
def month_with_a_completed_repair(routable):
    repair_request = services.repair_request_submit(
        household=routable.household,
        reporter=routable.household.members.first(),
        category=routable.category,
        description="Lekkende kraan",
    )
    services.work_order_complete(
        work_order=repair_request.work_orders.get(), total_cost=Decimal("123.45")
    )
    repair_request.refresh_from_db()
    return repair_request.created_at.date().replace(day=1), routable


def test_the_command_writes_a_real_pdf_with_the_figures(
    month_with_a_completed_repair, capsys, caplog
):
    period, routable = month_with_a_completed_repair

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        call_command("monthly_report", f"{period:%Y-%m}")

    report = MonthlyReport.objects.get()
    text = pdf_text(report)
    with report.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == report.sha256
    assert "Ontvangen: 1" in text
    assert "Afgehandeld: 1" in text
    assert "123,45" in text
    assert routable.household.name not in text
    assert routable.household.members.first().email not in text
    assert not [record for record in caplog.records if record.name.startswith("weasyprint")]


def test_regenerating_a_month_makes_a_new_version(month_with_a_completed_repair):
    period, _routable = month_with_a_completed_repair

    first = monthly_report_generate(period)
    second = generate_monthly_report.delay(period.isoformat()).get()

    assert (first.version, MonthlyReport.objects.get(pk=second).version) == (1, 2)


def test_a_bad_period_is_refused_clearly():
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("monthly_report", "oktober")
    assert not MonthlyReport.objects.exists()


def test_dashboard_shows_the_actual_and_reports_download_for_the_board(
    client, month_with_a_completed_repair
):
    period, _routable = month_with_a_completed_repair
    report = monthly_report_generate(period)
    client.force_login(UserFactory(role=Role.BOARD))

    page = client.get(reverse("budget:dashboard")).content.decode()
    download = client.get(reverse("budget:report_download", args=[report.uuid]))

    assert "123,45" in page
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("role", [Role.TENANT, Role.DESK, Role.CONTRACTOR, Role.SOCIAL])
def test_others_cannot_see_the_budget_or_reports(client, role, db):
    report = monthly_report_generate(date(2026, 10, 1))
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("budget:dashboard")).status_code == 404
    assert client.get(reverse("budget:report_download", args=[report.uuid])).status_code == 404


def test_office_visits_are_in_the_monthly_report(month_with_a_completed_repair):
    from tickets.intake import visit_record

    period, _routable = month_with_a_completed_repair
    desk = UserFactory(role=Role.DESK)
    visit_record(reason="rent", handled_by=desk, referred_to="Bo-Ex")
    visit_record(reason="rent", handled_by=desk)
    visit_record(reason="repair", handled_by=desk)

    text = pdf_text(monthly_report_generate(period))

    assert "Totaal: 3" in text
