"""One page per run, driven by locust: BENCH_PAGE names it, BENCH_SESSIONS holds the logged-in sessions.

BENCH_THINK=1-5 gives each simulated user 1–5 s between requests (the latency targets); 0 drives the
server as fast as it answers (saturation, requests per second).
"""

import json
import os
import random

from locust import HttpUser, between, constant, task

SESSIONS = json.load(open(os.environ["BENCH_SESSIONS"], encoding="utf-8"))  # noqa: SIM115
PAGE = os.environ["BENCH_PAGE"]
PAGES = SESSIONS["pages"]


class PortalUser(HttpUser):
    wait_time = between(1, 5) if os.environ.get("BENCH_THINK", "1-5") == "1-5" else constant(0)

    def on_start(self) -> None:
        page = PAGES[PAGE]
        candidates = SESSIONS["sessions"][page["role"]]
        self.session = random.choice(candidates)
        self.path = page["path"].format(**self.session)
        self.headers = {"Cookie": f"{SESSIONS['cookie_name']}={self.session['cookie']}"}
        if page.get("htmx"):
            self.headers["HX-Request"] = "true"

    @task
    def open_page(self) -> None:
        with self.client.get(
            self.path, name=PAGE, headers=self.headers, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
