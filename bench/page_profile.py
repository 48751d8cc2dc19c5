"""Where a page's time goes, in-process against a bench database (no gunicorn, no load tool).

Usage: python -m bench.page_profile --scale large [--pages triage_queue,social_cases] [-n 30] [--sql]
       [--cprofile cumulative|tottime]

For each page: the median time of n requests through Django's test client (middleware, view,
templates), the database's share of it, the number of queries and the garbage collector's time. The
database must have been seeded by `make bench` first; the logged-in sessions are made here.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.run import PAGES, ROOT, bench_environment, sessions_file


class _CollectorTimer:
    """Time spent in the garbage collector, from its start/stop callbacks."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, _info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=("small", "large"), default="small")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("-n", type=int, default=30, help="requests per page")
    parser.add_argument("--sql", action="store_true", help="list each query with its time")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="the database's planning and execution time per query",
    )
    parser.add_argument("--cprofile", choices=("cumulative", "tottime"), help="profile, sorted so")
    args = parser.parse_args()

    os.environ.update(bench_environment(args.scale))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache

    cache.clear()  # pages kept by earlier code or an earlier seed are not what is measured
    from django.db import connection
    from django.test import Client

    with tempfile.TemporaryDirectory() as workdir:
        sessions = json.loads(sessions_file(Path(workdir)).read_text())
    collector = _CollectorTimer()
    for name in args.pages.split(","):
        page = PAGES[name]
        session = sessions["sessions"][page["role"]][0]
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = session["cookie"]
        headers = {"HTTP_HX_REQUEST": "true"} if page.get("htmx") else {}
        path = page["path"].format(**session)
        for _warm_up in range(3):
            status = client.get(path, **headers).status_code
        if status != 200:
            print(f"{name:24} answered {status}")
            continue
        gc.freeze()
        collector.seconds = 0.0
        durations, database = [], []
        connection.force_debug_cursor = True
        try:
            for _request in range(args.n):
                connection.queries_log.clear()
                started = time.perf_counter()
                client.get(path, **headers)
                durations.append(time.perf_counter() - started)
                database.append(sum(float(query["time"]) for query in connection.queries))
            queries = list(connection.queries)
        finally:
            connection.force_debug_cursor = False
        print(
            f"{name:24} {statistics.median(durations) * 1000:6.1f} ms"
            f"  database {statistics.median(database) * 1000:5.1f} ms"
            f"  queries {len(queries):2}"
            f"  garbage collector {collector.seconds * 1000 / args.n:4.1f} ms"
        )
        if args.sql:
            for query in queries:
                print(f"    {float(query['time']) * 1000:6.1f} ms  {query['sql'][:160]}")
        if args.explain:
            _explain(connection, queries)
        if args.cprofile:
            profile = cProfile.Profile()
            profile.enable()
            for _request in range(args.n):
                client.get(path, **headers)
            profile.disable()
            pstats.Stats(profile).sort_stats(args.cprofile).print_stats(40)


def _explain(connection, queries: list[dict]) -> None:
    """Each SELECT of the last request again under EXPLAIN ANALYZE: what the server spends, apart from
    the round trip and the ORM."""
    with connection.cursor() as cursor:
        for query in queries:
            if not (query["sql"] or "").lstrip("(").startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0][0]
            print(
                f"    planning {plan['Planning Time']:6.2f} ms  execution {plan['Execution Time']:6.2f} ms"
                f"  {plan['Plan']['Node Type']:14}  {query['sql'][:110]}"
            )


if __name__ == "__main__":
    main()
