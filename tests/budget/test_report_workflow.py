"""The monthly report's workflow: generated as a draft version, made final by the board, sent to Bo-Ex once.

The pages: board, coordinator and Bo-Ex read and download every version; board and coordinator have a month
generated and send a failed report again; only the board makes a version final. Bo-Ex sees no forms and gets
404 on a POST; every other role gets 404; anonymous visitors are sent to the login page.

Transactional tests, so that `transaction.on_commit` fires as in production and the eager Celery tasks
(generation on the `pdf` queue, sending) run where the worker would run them.
"""

import copy
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from smtplib import SMTPException
from zoneinfo import ZoneInfo

import pytest
from celery.exceptions import Retry
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.base import ContentFile
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from budget import monthly_reports
from budget.models import MonthlyReport, ReportStatus
from budget.monthly_reports import (
    monthly_report_finalise,
    monthly_report_generate,
    monthly_report_send,
    previous_month_report_run,
)
from budget.report import add_months, previous_month
from budget.services import BudgetError
from budget.tasks import send_monthly_report
from tickets.models import OfficeSettings
from zelfbeheer.accounts.roles import Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ANONYMOUS = "anonymous"
ALL_ROLES = [ANONYMOUS, *Role]
READERS = frozenset({Role.BOARD, Role.COORDINATOR, Role.CORPORATION})
MAKERS = frozenset({Role.BOARD, Role.COORDINATOR})
BOARD = frozenset({Role.BOARD})
BO_EX = ["rapportage@bo-ex.example", "controller@bo-ex.example"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message, as an unreachable SMTP relay would."""

    def send_messages(self, email_messages):
        raise SMTPException("451 relay temporarily unavailable")


FAILING_BACKEND = f"{__name__}.FailingBackend"
LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def last_month() -> date:
    return previous_month(timezone.localdate())


def recipients_configured(addresses=BO_EX, *, automatically=False) -> None:
    OfficeSettings.objects.update_or_create(
        pk=1,
        defaults={
            "monthly_report_recipients": "\n".join(addresses),
            "monthly_report_send_automatically": automatically,
        },
    )


def english(client, user=None):
    """Messages in English, so assertions do not depend on the Dutch catalogue."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


def stored_bytes(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def a_stored_report(period: date, version: int = 1, **fields) -> MonthlyReport:
    """A report row with a tiny PDF only, for tests about the page rather than the rendering."""
    report = MonthlyReport(period=period, version=version, sha256="0" * 64, **fields)
    report.pdf.save(
        f"maandrapportage-{period:%Y-%m}-v{version}.pdf", ContentFile(b"%PDF-1.4\n"), save=False
    )
    report.save()
    return report


def queued_instead_of_sent(monkeypatch) -> list:
    """Finalising queues the sending; here the queue only collects it, as when no worker runs yet."""
    queued = []
    monkeypatch.setattr(monthly_reports, "enqueue", lambda task, *args: queued.append(args))
    return queued


@pytest.fixture
def board():
    return UserFactory(role=Role.BOARD)


@pytest.fixture
def coordinator():
    return UserFactory(role=Role.COORDINATOR)


# --- Permission matrix --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    allowed: frozenset
    allowed_status: int
    kwargs: dict


def _endpoints(sent: MonthlyReport, draft: MonthlyReport) -> list[Endpoint]:
    """Every report URL; the POSTs are refused by the rules (no month, another version final), so
    an allowed role passes the permission check without changing anything."""
    return [
        Endpoint("report_list", "get", READERS, 200, {}),
        Endpoint("report_download", "get", READERS, 200, {"report_uuid": sent.uuid}),
        Endpoint("report_csv", "get", READERS, 200, {"report_uuid": sent.uuid}),
        Endpoint("report_xlsx", "get", READERS, 200, {"report_uuid": sent.uuid}),
        Endpoint("report_generate", "post", MAKERS, 400, {}),
        Endpoint("report_finalise", "post", BOARD, 302, {"report_uuid": draft.uuid}),
        Endpoint("report_send_again", "post", MAKERS, 302, {"report_uuid": draft.uuid}),
    ]


@pytest.fixture
def two_versions(board):
    """Last month: version 1 final and sent to Bo-Ex, version 2 a draft made afterwards."""
    recipients_configured()
    sent = monthly_report_finalise(monthly_report_generate(last_month()), by=board)
    draft = monthly_report_generate(last_month())
    sent.refresh_from_db()
    assert (sent.status, draft.status) == (ReportStatus.SENT, ReportStatus.DRAFT)
    mail.outbox.clear()
    return sent, draft


def test_every_report_url_gives_each_role_the_expected_status(client, two_versions):
    sent, draft = two_versions
    before = list(MonthlyReport.objects.values_list("pk", "status", "send_attempts"))
    wrong = []
    for role in ALL_ROLES:
        client.logout()
        if role != ANONYMOUS:
            client.force_login(UserFactory(role=role))
        for endpoint in _endpoints(sent, draft):
            url = reverse(f"budget:{endpoint.name}", kwargs=endpoint.kwargs)
            response = getattr(client, endpoint.method)(url)
            if role == ANONYMOUS:
                expected = 302
                assert "/accounts/login/" in response["Location"]
            elif role in endpoint.allowed:
                expected = endpoint.allowed_status
            else:
                expected = 404
            if response.status_code != expected:
                wrong.append((role, endpoint.name, endpoint.method, response.status_code, expected))

    assert wrong == []
    assert list(MonthlyReport.objects.values_list("pk", "status", "send_attempts")) == before
    assert mail.outbox == []


def test_bo_ex_reads_every_version_without_forms(client, two_versions):
    sent, draft = two_versions
    client.force_login(UserFactory(role=Role.CORPORATION))

    page = client.get(reverse("budget:report_list")).content.decode()

    for report in (sent, draft):
        assert reverse("budget:report_download", args=[report.uuid]) in page
        assert reverse("budget:report_csv", args=[report.uuid]) in page
        assert reverse("budget:report_xlsx", args=[report.uuid]) in page
        assert report.sha256 in page
    assert reverse("budget:report_generate") not in page
    assert 'name="month"' not in page
    assert reverse("budget:report_finalise", args=[draft.uuid]) not in page
    assert reverse("budget:report_send_again", args=[sent.uuid]) not in page
    assert BO_EX[0] in page  # sent to, on the sent version


def test_the_dashboard_links_to_the_reports_page(client, board):
    client.force_login(board)

    page = client.get(reverse("budget:dashboard")).content.decode()

    assert f'href="{reverse("budget:report_list")}"' in page


def test_a_download_without_its_file_is_404(client, board):
    bare = a_stored_report(date(2025, 1, 1))
    client.force_login(board)

    page = client.get(reverse("budget:report_list")).content.decode()

    assert client.get(reverse("budget:report_download", args=[bare.uuid])).status_code == 200
    assert client.get(reverse("budget:report_csv", args=[bare.uuid])).status_code == 404
    assert client.get(reverse("budget:report_xlsx", args=[bare.uuid])).status_code == 404
    assert reverse("budget:report_csv", args=[bare.uuid]) not in page


def test_a_file_lost_from_storage_is_404_not_a_server_error(client, board):
    report = monthly_report_generate(last_month())
    report.xlsx_file.storage.delete(report.xlsx_file.name)
    client.force_login(board)

    assert client.get(reverse("budget:report_xlsx", args=[report.uuid])).status_code == 404
    assert client.get(reverse("budget:report_csv", args=[report.uuid])).status_code == 200


def test_the_list_asks_the_same_number_of_queries_for_more_months(client, board):
    client.force_login(board)
    a_stored_report(date(2025, 1, 1), generated_by=board, finalised_by=board)
    client.get(reverse("budget:report_list"))  # sessions, office settings: created on first use
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("budget:report_list"))
    for month in range(2, 8):
        a_stored_report(date(2025, month, 1), generated_by=board, finalised_by=board)
        a_stored_report(date(2025, month, 1), version=2, generated_by=board)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("budget:report_list")).content.decode()

    assert len(many) == len(few)
    assert page.index("juli 2025") < page.index("januari 2025")  # newest month first


# --- Generating through the page ----------------------------------------------------------------------


def test_generating_through_the_page_makes_draft_versions_and_keeps_the_old_ones(
    client, coordinator
):
    english(client, coordinator)
    url = reverse("budget:report_generate")

    first = client.post(url, {"month": f"{last_month():%Y-%m}"})
    second = client.post(url, {"month": f"{last_month():%Y-%m}"})

    assert first.status_code == second.status_code == 302
    assert first["Location"] == reverse("budget:report_list")
    assert "is being made" in flashed(first)[0]
    v1, v2 = MonthlyReport.objects.filter(period=last_month()).order_by("version")
    assert [(v1.version, v1.status), (v2.version, v2.status)] == [
        (1, ReportStatus.DRAFT),
        (2, ReportStatus.DRAFT),
    ]
    for report in (v1, v2):
        pdf = client.get(reverse("budget:report_download", args=[report.uuid]))
        csv_file = client.get(reverse("budget:report_csv", args=[report.uuid]))
        xlsx_file = client.get(reverse("budget:report_xlsx", args=[report.uuid]))
        assert downloaded(pdf) == stored_bytes(report.pdf)
        assert f"v{report.version}.pdf" in pdf["Content-Disposition"]
        assert csv_file["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(downloaded(csv_file).decode("utf-8-sig"))))
        assert len(rows) > 1
        assert xlsx_file["Content-Type"] == XLSX
        workbook = load_workbook(io.BytesIO(downloaded(xlsx_file)))
        assert workbook.active.title == f"{last_month():%Y-%m}"
    page = client.get(reverse("budget:report_list")).content.decode()
    assert v1.sha256 in page and v2.sha256 in page


@pytest.mark.parametrize(
    ("month", "message"),
    [
        (lambda today: f"{add_months(today.replace(day=1), 1):%Y-%m}", "has not ended yet"),
        (lambda today: f"{today:%Y-%m}", "has not ended yet"),
        (lambda today: "oktober", "YYYY-MM"),
        (lambda today: "1999-12", "from 2000 on"),
    ],
    ids=["next month", "this month", "not a month", "too early"],
)
def test_a_month_that_has_not_ended_or_is_no_month_is_refused_clearly(
    client, board, month, message
):
    english(client, board)

    response = client.post(
        reverse("budget:report_generate"), {"month": month(timezone.localdate())}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MonthlyReport.objects.exists()


# --- Making final and sending -------------------------------------------------------------------------


def test_making_final_sends_one_mail_with_the_pdf_and_csv(client, board):
    recipients_configured()
    report = monthly_report_generate(last_month())
    english(client, board)

    before = client.get(reverse("budget:report_list")).content.decode()
    response = client.post(reverse("budget:report_finalise", args=[report.uuid]))

    assert reverse("budget:report_finalise", args=[report.uuid]) in before
    assert response.status_code == 302
    assert "is final" in flashed(response)[0]
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT
    assert report.finalised_by == board
    assert report.finalised_at <= report.sent_at
    assert report.sent_to.splitlines() == BO_EX
    assert report.send_attempts == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == BO_EX
    stem = f"maandrapportage-{last_month():%Y-%m}-v1"
    assert [(name, mimetype) for name, _content, mimetype in message.attachments] == [
        (f"{stem}.pdf", "application/pdf"),
        (f"{stem}.csv", "text/csv"),
    ]
    assert message.attachments[0][1] == stored_bytes(report.pdf)
    assert report.sha256 in message.body
    page = client.get(reverse("budget:report_list")).content.decode()
    assert BO_EX[1] in page
    assert 'data-testid="send-failed"' not in page


def test_the_coordinator_cannot_make_a_report_final(client, coordinator):
    recipients_configured()
    report = monthly_report_generate(last_month())
    client.force_login(coordinator)

    page = client.get(reverse("budget:report_list")).content.decode()
    response = client.post(reverse("budget:report_finalise", args=[report.uuid]))

    assert reverse("budget:report_finalise", args=[report.uuid]) not in page
    assert response.status_code == 404
    with pytest.raises(BudgetError):
        monthly_report_finalise(report, by=coordinator)
    report.refresh_from_db()
    assert (report.status, report.finalised_at) == (ReportStatus.DRAFT, None)
    assert mail.outbox == []


def test_a_second_version_of_the_month_cannot_also_be_final(client, board, two_versions):
    sent, draft = two_versions
    english(client, board)

    page = client.get(reverse("budget:report_list")).content.decode()
    response = client.post(reverse("budget:report_finalise", args=[draft.uuid]))

    assert reverse("budget:report_finalise", args=[draft.uuid]) not in page
    assert "Version 1 of this month is final" in page
    assert flashed(response) == [
        "Another version of this month is final already; it is the one Bo-Ex gets."
    ]
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    assert list(MonthlyReport.objects.exclude(status=ReportStatus.DRAFT)) == [sent]
    assert mail.outbox == []


def test_sending_again_after_it_was_sent_sends_nothing_more(board):
    recipients_configured()
    report = monthly_report_finalise(monthly_report_generate(last_month()), by=board)
    report.refresh_from_db()
    sent_at = report.sent_at

    again = monthly_report_send(report.pk)
    send_monthly_report.delay(report.pk)

    assert again is False
    assert len(mail.outbox) == 1
    report.refresh_from_db()
    assert (report.status, report.sent_at) == (ReportStatus.SENT, sent_at)


def test_without_recipients_the_failure_is_recorded_shown_and_sent_again_later(client, board):
    report = monthly_report_generate(last_month())
    english(client, board)

    client.post(reverse("budget:report_finalise", args=[report.uuid]))
    report.refresh_from_db()
    page = client.get(reverse("budget:report_list")).content.decode()

    assert report.status == ReportStatus.FINAL
    assert (report.sent_at, report.sent_to) == (None, "")
    assert report.send_attempts == 1
    assert "No e-mail addresses for Bo-Ex are configured" in report.last_send_error
    assert mail.outbox == []
    assert 'data-testid="send-failed"' in page
    assert "No e-mail addresses for Bo-Ex are configured" in page
    assert reverse("budget:report_send_again", args=[report.uuid]) in page

    recipients_configured()
    response = client.post(reverse("budget:report_send_again", args=[report.uuid]))

    assert "being sent again" in flashed(response)[0]
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT
    assert report.last_send_error == ""
    assert len(mail.outbox) == 1
    page = client.get(reverse("budget:report_list")).content.decode()
    assert 'data-testid="send-failed"' not in page
    assert reverse("budget:report_send_again", args=[report.uuid]) not in page


def test_bo_ex_sees_a_failed_sending_but_cannot_send_again(client, board):
    report = monthly_report_finalise(monthly_report_generate(last_month()), by=board)
    client.force_login(UserFactory(role=Role.CORPORATION))

    page = client.get(reverse("budget:report_list")).content.decode()
    response = client.post(reverse("budget:report_send_again", args=[report.uuid]))

    assert 'data-testid="send-failed"' in page
    assert reverse("budget:report_send_again", args=[report.uuid]) not in page
    assert response.status_code == 404


def test_sending_again_is_refused_for_a_draft(client, board):
    report = monthly_report_generate(last_month())
    english(client, board)

    response = client.post(reverse("budget:report_send_again", args=[report.uuid]))

    assert flashed(response) == ["Only a final report that was not sent yet can be sent."]
    report.refresh_from_db()
    assert (report.status, report.send_attempts) == (ReportStatus.DRAFT, 0)


def test_a_failing_mail_server_is_recorded_and_raised_then_a_later_try_sends_once(
    settings, board, monkeypatch
):
    recipients_configured()
    queued = queued_instead_of_sent(monkeypatch)
    report = monthly_report_finalise(monthly_report_generate(last_month()), by=board)
    assert queued == [(report.pk,)]

    settings.EMAIL_BACKEND = FAILING_BACKEND
    with pytest.raises(SMTPException):
        monthly_report_send(report.pk)  # raised, so that Celery retries the task
    report.refresh_from_db()

    assert report.status == ReportStatus.FINAL
    assert report.sent_at is None
    assert report.send_attempts == 1
    assert report.last_send_error == "SMTPException: 451 relay temporarily unavailable"

    settings.EMAIL_BACKEND = LOCMEM_BACKEND
    results = [monthly_report_send(report.pk), monthly_report_send(report.pk)]

    assert results == [True, False]
    assert len(mail.outbox) == 1
    report.refresh_from_db()
    assert (report.status, report.send_attempts, report.last_send_error) == (
        ReportStatus.SENT,
        1,
        "",
    )


def test_the_sending_task_asks_celery_for_a_retry_when_the_mail_server_fails(
    settings, board, monkeypatch
):
    recipients_configured()
    queued_instead_of_sent(monkeypatch)
    report = monthly_report_finalise(monthly_report_generate(last_month()), by=board)
    settings.EMAIL_BACKEND = FAILING_BACKEND

    with pytest.raises(Retry):
        send_monthly_report.delay(report.pk)

    report.refresh_from_db()
    assert (report.status, report.send_attempts) == (ReportStatus.FINAL, 1)
    assert mail.outbox == []


# --- The beat job -------------------------------------------------------------------------------------


def test_automatic_sending_makes_the_previous_month_final_and_sends_it():
    recipients_configured(automatically=True)

    report = previous_month_report_run(date(2026, 12, 1))
    again = previous_month_report_run(date(2026, 12, 1))

    assert report.period == date(2026, 11, 1)
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT
    assert report.finalised_by is None
    assert report.generated_by is None
    assert report.sent_to.splitlines() == BO_EX
    assert again is None
    assert MonthlyReport.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][0] == "maandrapportage-2026-11-v1.pdf"


def test_without_automatic_sending_the_report_stays_a_draft():
    recipients_configured(automatically=False)

    report = previous_month_report_run(date(2026, 12, 1))
    # As on the 1st itself: the draft was made after November ended.
    MonthlyReport.objects.filter(pk=report.pk).update(
        generated_at=datetime(2026, 12, 1, 6, tzinfo=ZoneInfo("Europe/Amsterdam"))
    )
    again = previous_month_report_run(date(2026, 12, 1))

    report.refresh_from_db()
    assert (report.period, report.version, report.status) == (
        date(2026, 11, 1),
        1,
        ReportStatus.DRAFT,
    )
    assert again is None
    assert MonthlyReport.objects.count() == 1
    assert mail.outbox == []


def test_a_draft_made_during_the_month_does_not_stop_the_report_of_the_first(
    django_capture_on_commit_callbacks,
):
    recipients_configured(automatically=True)
    early = monthly_report_generate(date(2026, 11, 1))
    MonthlyReport.objects.filter(pk=early.pk).update(
        generated_at=datetime(2026, 11, 20, 12, tzinfo=ZoneInfo("Europe/Amsterdam"))
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = previous_month_report_run(date(2026, 12, 1))

    report.refresh_from_db()
    assert report.version == 2
    assert report.status == ReportStatus.SENT
    assert len(mail.outbox) == 1


# --- Immutability -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda report: setattr(report, "pdf", "reports/another.pdf"),
        lambda report: report.figures.update({"budget": {}}),
        lambda report: setattr(report, "sha256", "f" * 64),
    ],
    ids=["pdf", "figures", "sha256"],
)
def test_a_generated_reports_files_and_figures_cannot_be_changed(change):
    report = MonthlyReport.objects.get(pk=monthly_report_generate(last_month()).pk)
    original = (report.pdf.name, copy.deepcopy(report.figures), report.sha256)

    change(report)
    with pytest.raises(ValueError, match="immutable"):
        report.save()

    report.refresh_from_db()
    assert (report.pdf.name, report.figures, report.sha256) == original
