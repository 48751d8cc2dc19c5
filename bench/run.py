"""`make bench`: seed a database of its own, serve the portal with gunicorn, load it with locust, and
write the figures to bench/results/<date>-<scale>.json (and print them as a table).

Usage: python -m bench.run --scale small|large [--duration 20] [--users 1,10,50] [--pages a,b]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PORT = 8765
SECRET = "bench-" + "x" * 60

PAGES = {
    "floor": {"role": "tenant", "path": "/bench/floor/?home={home_id}"},
    "my_requests": {"role": "tenant", "path": "/meldingen/"},
    "request_detail": {"role": "tenant", "path": "/meldingen/{request_uuid}/"},
    "triage_queue": {"role": "desk", "path": "/balie/"},
    "triage_queue_filtered": {"role": "desk", "path": "/balie/?preset=at_risk&urgency=urgent"},
    "triage_queue_fragment": {"role": "desk", "path": "/balie/?preset=all_open", "htmx": True},
    "social_cases": {"role": "social", "path": "/sociaal/"},
    "board_dashboard": {"role": "board", "path": "/budget/"},
    "contractor_orders": {"role": "contractor", "path": "/werkorders/"},
}


def bench_environment(scale: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "zelfbeheer.settings.production",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/zelfbeheer_bench_{scale}",
        # A database of its own per scale: the pages' caches hold one scale's data.
        "REDIS_URL": f"redis://127.0.0.1:6379/{13 if scale == 'large' else 12}",
        "EMAIL_URL": "dummymail://",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SITE_URL": f"http://127.0.0.1:{PORT}",
        "BENCHMARK_FLOOR_VIEW": "true",
        "CONN_MAX_AGE": "600",
    }


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def create_database(scale: str) -> bool:
    """True when the database was made now (and must be seeded)."""
    import psycopg

    name = f"zelfbeheer_bench_{scale}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return not exists


def prepare(scale_name: str, reseed: bool) -> dict:
    from django.core.management import call_command

    from bench.seed import SCALES, is_seeded, seed

    scale = SCALES[scale_name]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seeded = {}
    if reseed or not is_seeded(scale):
        started = time.perf_counter()
        counts = seed(scale, log=log)
        seeded = {"seconds": round(time.perf_counter() - started, 1), "rows": counts}
        log(f"seeded in {seeded['seconds']} s: {counts}")
    return seeded


def sessions_file(directory: Path) -> Path:
    """Logged-in sessions for each role (no password or TOTP typing: the login has its own tests)."""
    from django.conf import settings
    from django.test import Client

    from tickets.models import RepairRequest
    from zelfbeheer.accounts.models import User

    def cookie(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    tenants = []
    for user in User.objects.filter(email__startswith="bench-tenant-").order_by("pk")[:50]:
        household = user.households.filter(end_date__isnull=True).first()
        repair_request = RepairRequest.objects.filter(household=household).order_by("-pk").first()
        if household is None or repair_request is None:
            continue
        tenants.append(
            {
                "cookie": cookie(user),
                "request_uuid": str(repair_request.uuid),
                "home_id": household.home_id,
            }
        )
    staff = {
        role: [{"cookie": cookie(User.objects.get(email=f"bench-{role}@example.org"))}]
        for role in ("desk", "social", "board", "contractor")
    }
    path = directory / "sessions.json"
    path.write_text(
        json.dumps(
            {
                "cookie_name": settings.SESSION_COOKIE_NAME,
                "pages": PAGES,
                "sessions": {"tenant": tenants, **staff},
            }
        )
    )
    return path


def queries_per_page(sessions: dict) -> dict[str, int]:
    """Database queries of one request to each page, in-process (the second request: caches warm)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, page in PAGES.items():
        session = sessions["sessions"][page["role"]][0]
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session["cookie"]
        headers = {"HTTP_HX_REQUEST": "true"} if page.get("htmx") else {}
        path = page["path"].format(**session)
        client.get(path, **headers)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, **headers)
        counts[name] = len(queries) if response.status_code == 200 else -response.status_code
    return counts


def start_gunicorn(env: dict[str, str], workers: int = 2) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "zelfbeheer.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health/", timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("gunicorn did not come up")


def peak_rss_mb(process: subprocess.Popen) -> float:
    """The highest resident memory of the process and its children (VmHWM), in MB."""
    import psutil

    parent = psutil.Process(process.pid)
    peaks = []
    for member in [parent, *parent.children(recursive=True)]:
        try:
            status = Path(f"/proc/{member.pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return round(max(peaks, default=0), 1)


def warm_up(page: str, sessions: dict, times: int = 20) -> None:
    """Requests in parallel first, so every gunicorn worker has loaded its code, connections and
    caches (a worker's first request takes most of a second)."""
    from concurrent.futures import ThreadPoolExecutor

    spec = sessions["pages"][page]
    session = sessions["sessions"][spec["role"]][0]
    headers = {"Cookie": f"{sessions['cookie_name']}={session['cookie']}"}
    if spec.get("htmx"):
        headers["HX-Request"] = "true"
    url = f"http://127.0.0.1:{PORT}{spec['path'].format(**session)}"

    def fetch(_attempt: int) -> None:
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (our own http URL)
            answer.read()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(fetch, range(times)))


def load(
    page: str, users: int, seconds: int, think: str, sessions_path: Path, workdir: Path
) -> dict:
    prefix = workdir / f"{page}-{users}-{think}"
    # Users arrive over a few seconds, as they do, rather than all in the same millisecond; the
    # figures count from when all have arrived (--reset-stats), so the arrival is not measured.
    spawn_rate = users if think == "0" else max(1, users // 5)
    env = {
        **os.environ,
        "BENCH_PAGE": page,
        "BENCH_SESSIONS": str(sessions_path),
        "BENCH_THINK": think,
    }
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{PORT}",
         "--reset-stats", "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR"],
        env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        row = next((row for row in csv.DictReader(handle) if row["Name"] == page), None)
    if row is None:
        # Not one answer within the run: as slow as it gets, and said so.
        return {"requests": 0, "failures": 0, "rps": 0.0, "p50_ms": float(seconds * 1000),
                "p95_ms": float(seconds * 1000), "p99_ms": float(seconds * 1000), "no_answer": True}  # fmt: skip
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
    }


def time_monthly_report(env: dict[str, str]) -> dict:
    """The previous month's report, in a process of its own that reports its own peak memory
    (RUSAGE_CHILDREN would give the largest of every child so far, locust's included)."""
    today = date.today()
    period = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    # The report is timed inside the process; starting Python and Django (imports, weasyprint's
    # fonts) is reported apart, as the worker that makes reports has done that long before.
    command = (
        "import resource, time\n"
        "from django.core.management import call_command\n"
        "started = time.perf_counter()\n"
        f"call_command('monthly_report', '{period}', stdout=open('/dev/null', 'w'))\n"
        "print('REPORT_S', time.perf_counter() - started)\n"
        "print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", command],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    process_seconds = time.perf_counter() - started
    printed = dict(line.split(" ", 1) for line in finished.stdout.splitlines() if " " in line)
    return {
        "period": period,
        "seconds": round(float(printed["REPORT_S"]), 2),
        "process_seconds": round(process_seconds, 2),
        "peak_memory_mb": round(int(printed["PEAK_KB"]) / 1024, 1),
    }


def photo_cpu_seconds() -> float:
    """CPU time to process a 12-megapixel JPEG (decode, strip, re-encode, thumbnail)."""
    import io
    import random

    from PIL import Image

    from tickets.photos import process_photo

    rng = random.Random(1)
    image = Image.new("RGB", (4000, 3000))
    image.putdata([(rng.randrange(256), 120, 80) for _ in range(4000 * 3000)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    buffer.seek(0)
    buffer.name = "photo.jpg"
    started = time.process_time()
    process_photo(buffer)
    return round(time.process_time() - started, 3)


def _celery_worker(env: dict[str, str], queue: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "zelfbeheer", "worker", "-Q", queue, "-n", f"{queue}@bench",
         "--concurrency", "1", "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip


def _submit(households, category) -> int:
    from django.db import transaction

    from tickets.services import repair_request_submit

    household = households.pop()
    with transaction.atomic():
        return repair_request_submit(
            household=household, category=category, description="Benchmark-melding."
        ).pk


def _wait_until_mailed(ids: list[int], timeout: float = 300) -> list:
    from tickets.models import WorkOrder

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if WorkOrder.objects.filter(
            request_id__in=ids, contractor_notified_at__isnull=False
        ).count() >= len(ids):
            break
        time.sleep(0.25)
    return list(
        WorkOrder.objects.filter(request_id__in=ids, contractor_notified_at__isnull=False).select_related("request")
    )  # fmt: skip


def _latencies(orders) -> list[float]:
    return sorted(
        (order.contractor_notified_at - order.request.created_at).total_seconds()
        for order in orders
    )


def _p(values: list[float], fraction: float) -> float | None:
    return round(values[max(int(fraction * len(values) + 0.999) - 1, 0)], 3) if values else None


def routing(env: dict[str, str], burst: int = 200, steady: int = 60, interval: float = 0.5) -> dict:
    """Routing with one real Celery worker on Redis, from submission to the contractor's e-mail.

    Throughput: a burst of submissions, routed as fast as one worker can. Latency: one submission every
    `interval` seconds, while a second worker on the `pdf` queue makes monthly reports.
    """
    from django.utils import timezone

    from budget.tasks import generate_monthly_report
    from tickets.models import RepairRequest, WorkCategory
    from tickets.selectors import responsibility_for
    from zelfbeheer.housing.models import Household

    today = timezone.localdate()
    category = next(
        leaf
        for leaf in WorkCategory.objects.filter(parent__isnull=False).select_related("parent")
        if responsibility_for(leaf, today) == "foundation"
    )
    households = list(
        Household.objects.filter(end_date__isnull=True).order_by("?")[: burst + steady]
    )
    worker = _celery_worker(env, "default")
    pdf_worker = _celery_worker(env, "pdf")
    try:
        time.sleep(6)
        started = timezone.now()
        burst_ids = [_submit(households, category) for _ in range(min(burst, len(households)))]
        burst_orders = _wait_until_mailed(burst_ids)
        finished = max((order.contractor_notified_at for order in burst_orders), default=started)
        last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        for _ in range(3):
            generate_monthly_report.delay(last_month.isoformat())
        steady_ids = []
        for _ in range(min(steady, len(households))):
            steady_ids.append(_submit(households, category))
            time.sleep(interval)
        steady_latencies = _latencies(_wait_until_mailed(steady_ids))
        worker_peak = max(peak_rss_mb(worker), peak_rss_mb(pdf_worker))
    finally:
        for process in (worker, pdf_worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
    RepairRequest.objects.filter(pk__in=burst_ids + steady_ids).update(
        description="Benchmark (verwerkt)."
    )
    return {
        "burst": len(burst_ids),
        "burst_routed_per_second": round(
            len(burst_orders) / max((finished - started).total_seconds(), 0.001), 1
        ),
        "steady": len(steady_ids),
        "steady_interval_s": interval,
        "latency_p50_s": _p(steady_latencies, 0.5),
        "latency_p95_s": _p(steady_latencies, 0.95),
        "worker_peak_memory_mb": worker_peak,
    }


def cpu_calibration_seconds() -> float:
    """Seconds for ten million additions in a Python loop: machines of the same kind differ twofold, so
    figures from two runs are only compared when this is about the same."""
    started = time.process_time()
    total = 0
    for number in range(10_000_000):
        total += number
    return round(time.process_time() - started, 2)


def print_table(results: dict) -> None:
    floor = {row["users"]: row for row in results["pages"]["floor"]}
    print()
    print(f"{'page':24} {'users':>5} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'err':>5} "
          f"{'queries':>7} {'of floor':>8}")  # fmt: skip
    for page, rows in results["pages"].items():
        for row in rows:
            ratio = (
                row["rps"] / floor[row["users"]]["rps"]
                if floor.get(row["users"], {}).get("rps")
                else 0
            )
            print(f"{page:24} {row['users']:>5} {row['rps']:>7} {row['p50_ms']:>7.0f} {row['p95_ms']:>7.0f} "
                  f"{row['p99_ms']:>7.0f} {row['failures']:>5} {results['queries'][page]:>7} {ratio:>8.2f}")  # fmt: skip
    for page, row in results["saturation"].items():
        beside = f", floor beside it {row['floor_rps']}" if "floor_rps" in row else ""
        print(
            f"saturation {page:13} rps {row['rps']:>7}  ({row['ratio_to_floor']:.2f} of floor{beside})"
        )
    print(f"machine: {results['cpu_calibration_seconds']} s for ten million Python additions")
    print(f"monthly report: {results.get('monthly_report', '-')}")
    print(f"routing: {results.get('routing', '-')}")
    print(
        f"photo CPU: {results.get('photo_cpu_seconds', '-')} s; "
        f"web peak memory {results['web_peak_memory_mb']} MB"
    )


def saturation(pages: list[str], duration: int, sessions_path: Path, workdir: Path) -> dict:
    """Each page at saturation (10 users, no think time) between two runs of the floor, read against
    their mean: this kind of host drifts by half its speed within minutes, so one floor measured at the
    start misreads the pages measured after it."""
    floors = [load("floor", 10, duration, "0", sessions_path, workdir)]
    rows = {}
    for page in pages:
        if page == "floor":
            continue
        row = load(page, 10, duration, "0", sessions_path, workdir)
        floors.append(load("floor", 10, duration, "0", sessions_path, workdir))
        beside = (floors[-2]["rps"] + floors[-1]["rps"]) / 2
        row["floor_rps"] = round(beside, 1)
        row["ratio_to_floor"] = round(row["rps"] / beside, 2) if beside else 0.0
        rows[page] = row
        log(f"saturation {page}: {row['rps']} requests/s, {row['ratio_to_floor']} of the floor")
    each = [floor["rps"] for floor in floors]
    floor = {**floors[0], "rps": round(statistics.mean(each), 1), "rps_each": each}
    floor["ratio_to_floor"] = 1.0
    return {"floor": floor, **rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=("small", "large"), default="small")
    parser.add_argument("--duration", type=int, default=20, help="seconds per page and concurrency")
    parser.add_argument("--users", default="1,10,50")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="only the page loads: no monthly report, routing or photo (quicker while tuning a page)",
    )
    args = parser.parse_args()

    env = {**os.environ, **bench_environment(args.scale)}
    os.environ.update(bench_environment(args.scale))
    if create_database(args.scale):
        log(f"created database zelfbeheer_bench_{args.scale}")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    seeded = prepare(args.scale, args.reseed)
    # The seed loads around the models, so no cached page hears of it; nor of a change in the code.
    from django.core.cache import cache

    cache.clear()
    results: dict = {
        "date": date.today().isoformat(),
        "scale": args.scale,
        "seed": seeded,
        "cpu_calibration_seconds": cpu_calibration_seconds(),
    }
    with tempfile.TemporaryDirectory() as workdir:
        sessions_path = sessions_file(Path(workdir))
        sessions = json.loads(sessions_path.read_text())
        results["queries"] = queries_per_page(sessions)
        log(f"queries per page: {results['queries']}")
        server = start_gunicorn(env)
        try:
            pages = [page for page in args.pages.split(",") if page]
            if "floor" not in pages:
                pages.insert(0, "floor")
            results["pages"] = {}
            for page in pages:
                warm_up(page, sessions)
                results["pages"][page] = []
                for users in (int(value) for value in args.users.split(",")):
                    row = {
                        "users": users,
                        **load(page, users, args.duration, "1-5", sessions_path, Path(workdir)),
                    }
                    results["pages"][page].append(row)
                    log(f"{page} × {users}: {row}")
            results["saturation"] = saturation(pages, args.duration, sessions_path, Path(workdir))
            results["web_peak_memory_mb"] = peak_rss_mb(server)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    if not args.pages_only:
        results["monthly_report"] = time_monthly_report(env)
        results["routing"] = routing(env)
        results["photo_cpu_seconds"] = photo_cpu_seconds()
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "-pages" if args.pages_only else ""
    target = RESULTS / f"{results['date']}-{args.scale}{suffix}.json"
    target.write_text(json.dumps(results, indent=2))
    print_table(results)
    log(f"written to {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
