import csv
import hashlib
import io
import logging
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from budget import services as money
from budget.models import FinancialYear, MonthlyReport
from budget.monthly_reports import monthly_report_generate
from budget.report import key_figure_labels
from budget.tasks import generate_monthly_report
from social.models import CaseType, SocialCase
from social.services import case_open
from tickets import services
from tickets.constants import RequestStatus, Responsibility
from tickets.intake import visit_record
from tickets.models import Rating, Referral, RepairRequest, Visit
from tickets.tracking import repair_request_rate
from zelfbeheer.accounts.roles import Role

from ..factories import (
    BudgetLineFactory,
    HouseholdFactory,
    TradeFactory,
    UserFactory,
    WorkCategoryFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

MARCH = date(2025, 3, 1)
TENANT_NAME = "Familie Quispel-Zwanenburg"
TENANT_EMAIL = "q.zwanenburg@voorbeeld.nl"
TENANT_PHONE = "06 87654321"
RGS_CODE = "WBedOnhGlz"


def pdf_text(report: MonthlyReport) -> str:
    with report.pdf.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


def file_bytes(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def dutch(msgid: str) -> str:
    with translation.override("nl"):
        return gettext(msgid)


def in_march(day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(2025, 3, day, hour))


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


@pytest.fixture
def march_2025(routable) -> None:
    """March 2025, worked out by hand.

    Three requests received in two trades: plumbing twice (one completed on time in 2 days, one late in
    16 days), glazing once (still open). The on-time repair is rated 4. Two office visits. A glazier's
    invoice of € 1.234,50 excl. VAT dated 17 March, approved; a € 100,00 expense in February.
    """
    tenant = UserFactory(
        role=Role.TENANT, email=TENANT_EMAIL, first_name="Quirijn", last_name="Zwanenburg"
    )
    household = HouseholdFactory(name=TENANT_NAME, phone=TENANT_PHONE, tenant=tenant)
    glazing = WorkCategoryFactory(
        code="broken-pane",
        name="Gebroken ruit",
        parent=TradeFactory(code="glazing", name="Glaszetten"),
        responsibility=Responsibility.FOUNDATION,
    )

    def submit(category, *, created, completed=None, due, status):
        repair_request = services.repair_request_submit(
            household=household,
            reporter=tenant,
            category=category,
            description=f"Defect gemeld door {TENANT_NAME}, bel {TENANT_PHONE}",
            contact_phone=TENANT_PHONE,
        )
        RepairRequest.objects.filter(pk=repair_request.pk).update(
            created_at=created, completed_at=completed, resolution_due=due, status=status
        )
        repair_request.refresh_from_db()
        return repair_request

    on_time = submit(
        routable.category,
        created=in_march(3),
        completed=in_march(5),
        due=in_march(10),
        status=RequestStatus.TECHNICALLY_DONE,
    )
    submit(
        routable.category,
        created=in_march(4),
        completed=in_march(20),
        due=in_march(10),
        status=RequestStatus.TECHNICALLY_DONE,
    )
    submit(glazing, created=in_march(10), due=in_march(24), status=RequestStatus.REGISTERED)
    rating = repair_request_rate(repair_request=on_time, user=tenant, score=4)
    Rating.objects.filter(pk=rating.pk).update(created_at=in_march(6))

    desk = UserFactory(role=Role.DESK)
    for reason in ("repair", "rent"):
        visit = visit_record(reason=reason, handled_by=desk, household=household)
        Visit.objects.filter(pk=visit.pk).update(visited_at=in_march(12))

    line = BudgetLineFactory(
        financial_year=FinancialYear.objects.create(year=2025),
        code="GL-25",
        name="Glasschade",
        rgs_code=RGS_CODE,
        annual_amount=Decimal("60000.00"),
    )
    treasurer, chair = UserFactory(role=Role.BOARD), UserFactory(role=Role.BOARD)
    invoice = money.invoice_enter(
        entered_by=treasurer,
        invoice_number="2025-0317",
        invoice_date=date(2025, 3, 17),
        amount_excl_vat=Decimal("1234.50"),
        vat_amount=Decimal("259.25"),
        supplier_name="Glashandel Lombok",
        budget_line=line,
    )
    money.invoice_approve(invoice, approver=chair)
    money.expense_record(
        entered_by=treasurer,
        budget_line=line,
        category="office",
        description="Sleutelkastje",
        amount_excl_vat=Decimal("100.00"),
        vat_amount=Decimal("21.00"),
        spent_on=date(2025, 2, 10),
    )


def march_report_text(caplog) -> tuple[MonthlyReport, str]:
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        report = monthly_report_generate(MARCH)
    assert not [record for record in caplog.records if record.name.startswith("weasyprint")]
    return report, pdf_text(report)


def csv_table(report: MonthlyReport) -> list[list[str]]:
    return list(csv.reader(io.StringIO(file_bytes(report.csv_file).decode("utf-8-sig"))))


def test_the_command_writes_a_real_pdf_with_the_figures(
    month_with_a_completed_repair, capsys, caplog
):
    period, routable = month_with_a_completed_repair

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        call_command("monthly_report", f"{period:%Y-%m}")

    report = MonthlyReport.objects.get()
    text = pdf_text(report)
    assert file_bytes(report.pdf).startswith(b"%PDF")
    assert hashlib.sha256(file_bytes(report.pdf)).hexdigest() == report.sha256
    assert "Ontvangen meldingen 1 0 0" in text
    assert "Afgeronde meldingen 1 0 0" in text
    assert "€ 123,45" in text  # the completed order's cost, committed on the budget line
    assert routable.household.name not in text
    assert routable.household.members.first().email not in text
    assert not [record for record in caplog.records if record.name.startswith("weasyprint")]


def test_the_weasyprint_log_would_show_a_broken_resource(caplog):
    """The control for the "no warnings" checks: a missing image is logged by weasyprint."""
    from budget.pdf import html_to_pdf

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        html_to_pdf('<p>x</p><img src="static/does-not-exist.png" alt="">')

    assert [record for record in caplog.records if record.name.startswith("weasyprint")]


def test_the_figures_of_a_month_are_the_ones_worked_out_by_hand(march_2025):
    figures = monthly_report_generate(MARCH).figures

    assert figures["key_figures"]["this_month"] == {
        "received": 3,
        "completed": 2,
        "sla_percentage": "50.0",
        "lead_time_median_days": "2.0",
        "lead_time_p90_days": "16.0",
        "rating_average": "4.0",
        "dissatisfied_percentage": "0.0",
        "first_time_fix_percentage": None,
        "forwarded_to_corporation": 0,
        "office_visits": 2,
        "actual_in_month": "1234.50",
    }
    assert figures["key_figures"]["previous_month"]["actual_in_month"] == "100.00"
    assert figures["requests"]["by_trade"] == [
        {"label": "Loodgieterswerk", "count": 2},
        {"label": "Glaszetten", "count": 1},
    ]
    assert figures["budget"]["lines"] == [
        {
            "code": "GL-25",
            "name": "Glasschade",
            "rgs_code": RGS_CODE,
            "budget": "60000.00",
            "committed": "0.00",
            "actual": "1334.50",
            # 1334.50 actual + 0 committed + 1334.50 / 3 months × 9 months still to come
            "forecast": "5338.00",
        }
    ]


def test_the_pdf_shows_those_figures_in_dutch_notation(march_2025, caplog):
    _report, text = march_report_text(caplog)
    lines = text.splitlines()
    with translation.override("nl"):
        labels = key_figure_labels()

    assert "maart 2025" in lines[1]  # the title
    assert [line for line in lines if line in ("maart 2025", "februari 2025", "maart 2024")] == [
        "maart 2025",
        "februari 2025",
        "maart 2024",
    ]  # the three columns compared
    for key, values in {
        "received": "3 0 0",
        "completed": "2 0 0",
        "sla_percentage": "50,0 – –",
        "lead_time_median_days": "2,0 – –",
        "lead_time_p90_days": "16,0 – –",
        "rating_average": "4,0 – –",
        "dissatisfied_percentage": "0,0 – –",
        "first_time_fix_percentage": "– – –",
        "forwarded_to_corporation": "0 0 0",
        "office_visits": "2 0 0",
        "actual_in_month": "€ 1.234,50 € 100,00 € 0,00",
    }.items():
        # A long label may wrap in its column; the figures follow it all the same.
        assert f"{labels[key]} {values}" in " ".join(lines), key
    for line in (
        "Loodgieterswerk 2",
        "Glaszetten 1",
        "Stichting 3",
        "Normaal 2 1 50,0%",
        "Reparatie 1",
        "Huur of betaling (Bo-Ex) 1",
        "Totaal 2",
        f"GL-25 Glasschade {RGS_CODE} € 60.000,00 € 0,00 € 1.334,50 € 5.338,00",
        "Totaal € 60.000,00 € 0,00 € 1.334,50 € 5.338,00",
    ):
        assert line in lines, line


def test_the_report_holds_no_names_addresses_or_contact_details(march_2025, caplog):
    report, text = march_report_text(caplog)
    exports = file_bytes(report.csv_file).decode("utf-8-sig")
    workbook = openpyxl.load_workbook(io.BytesIO(file_bytes(report.xlsx_file)))
    cells = " ".join(
        str(value) for row in workbook.active.iter_rows(values_only=True) for value in row
    )

    for personal in (
        TENANT_NAME,
        "Zwanenburg",
        "Quirijn",
        TENANT_EMAIL,
        TENANT_PHONE,
        "Kaneelstraat",
    ):
        assert personal not in text
        assert personal not in exports
        assert personal not in cells
    assert "06 12345678" not in text  # the routable household's phone


def test_signals_show_the_unit_id_and_forwarded_work_is_counted(routable, caplog):
    home = routable.household.home
    tenant = routable.household.members.first()
    structural = WorkCategoryFactory(
        code="foundation-crack",
        name="Scheur in de fundering",
        parent=TradeFactory(code="structural", name="Constructie"),
        responsibility=Responsibility.CORPORATION,
    )
    for day in (3, 10, 17):
        repeated = services.repair_request_submit(
            household=routable.household,
            reporter=tenant,
            category=routable.category,
            description="Weer lek",
        )
        RepairRequest.objects.filter(pk=repeated.pk).update(created_at=in_march(day))
    forwarded = services.repair_request_submit(
        household=routable.household,
        reporter=tenant,
        category=structural,
        description="Scheur",
    )
    RepairRequest.objects.filter(pk=forwarded.pk).update(created_at=in_march(20))
    Referral.objects.filter(request=forwarded).update(sent_at=in_march(20))

    _report, text = march_report_text(caplog)
    lines = text.splitlines()

    assert f"{home.unit_id} {routable.category} 3" in lines
    assert f"{dutch('Forwarded to Bo-Ex')} 1" in lines
    assert home.street not in text


@pytest.fixture
def social_worker():
    return UserFactory(role=Role.SOCIAL)


def open_cases_in_march(case_type: str, count: int, worker) -> None:
    cases = [case_open(case_type=case_type, created_by=worker) for _ in range(count)]
    SocialCase.objects.filter(pk__in=[case.pk for case in cases]).update(opened_at=in_march(12))


def test_social_counts_below_five_are_shown_as_less_than_five(social_worker, caplog):
    open_cases_in_march(CaseType.SUPPORT, 3, social_worker)
    open_cases_in_march(CaseType.NUISANCE, 5, social_worker)

    _report, text = march_report_text(caplog)
    lines = text.splitlines()

    assert f"{dutch('Support')} < 5" in lines
    assert f"{dutch('Nuisance')} 5" in lines
    assert f"{dutch('All cases')} 8" in lines
    assert "Intake 8" in lines


def test_a_few_cases_are_not_counted_at_all(social_worker, caplog):
    open_cases_in_march(CaseType.SUPPORT, 2, social_worker)

    _report, text = march_report_text(caplog)
    lines = text.splitlines()

    assert f"{dutch('All cases')} < 5" in lines
    assert f"{dutch('Support')} < 5" in lines
    assert f"{dutch('Support')} 2" not in lines
    assert f"{dutch('All cases')} 2" not in lines


def test_generating_a_month_twice_gives_the_same_figures_as_a_new_version(march_2025):
    first = monthly_report_generate(MARCH)
    second = monthly_report_generate(MARCH)

    assert (first.version, second.version) == (1, 2)
    assert first.figures == second.figures
    assert file_bytes(first.csv_file) == file_bytes(second.csv_file)
    assert first.pdf.name != second.pdf.name
    for report in (first, second):
        assert report.sha256 == hashlib.sha256(file_bytes(report.pdf)).hexdigest()


def test_the_csv_and_excel_files_carry_the_rgs_codes_for_finance(march_2025):
    report = monthly_report_generate(MARCH)
    rows = csv_table(report)
    workbook = openpyxl.load_workbook(io.BytesIO(file_bytes(report.xlsx_file)))
    sheet = workbook.active
    sheet_rows = [list(row) for row in sheet.iter_rows(values_only=True)]

    header = [dutch("Section"), "Kengetal", "RGS-code", "Waarde"]
    assert rows[0] == header
    assert ["GL-25 Glasschade", "Realisatie", RGS_CODE, "1334.50"] in rows
    assert sheet.title == "2025-03"
    assert sheet_rows[0] == header
    assert ["GL-25 Glasschade", "Realisatie", RGS_CODE, "1334.50"] in sheet_rows


def test_an_empty_month_still_makes_a_complete_report(caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        report = monthly_report_generate(date(2024, 6, 1))
    text = pdf_text(report)

    assert "Ontvangen meldingen 0 0 0" in text
    assert "Er zijn nog geen begrotingsposten voor dit jaar." in text
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
    period, _routable = month_with_a_completed_repair
    desk = UserFactory(role=Role.DESK)
    visit_record(reason="rent", handled_by=desk, referred_to="Bo-Ex")
    visit_record(reason="rent", handled_by=desk)
    visit_record(reason="repair", handled_by=desk)

    lines = pdf_text(monthly_report_generate(period)).splitlines()

    assert "Huur of betaling (Bo-Ex) 2" in lines
    assert "Reparatie 1" in lines
    assert "Totaal 3" in lines
