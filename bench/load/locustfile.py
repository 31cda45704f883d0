"""Locust clients for the inbox: each signs in as its own person (the login
form has a CSRF token: fetch the form, post it back with the credentials),
then mostly opens the inbox page and the JSON API's list, opens a task, and
completes an escalation, the one kind completed by a plain POST
(webapp/inbox/kinds.py: acknowledge=True), through the page's form or the API.

Run by bench/load/run.py, which passes, in the environment:
  OVERSIGHT_LOAD_USERS    a JSON file: the usernames, one per client, none shared
  OVERSIGHT_LOAD_SAMPLES  where to write every request's time once the test stops
  OVERSIGHT_LOAD_WAIT     "min,max" seconds a client thinks between actions
  OVERSIGHT_LOAD_SETTLE   seconds after the last client starts before recording

Each client completes only its own escalations, each once, so two clients
never race for one task and every completion is a real change of state."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from pathlib import Path

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

from bench.load.common import LoopbackCookiePolicy

USERS: list[str] = json.loads(Path(os.environ["OVERSIGHT_LOAD_USERS"]).read_text())
PASSWORD = os.environ.get("OVERSIGHT_LOAD_PASSWORD", "demo-oversight")
WAIT = tuple(float(s) for s in os.environ.get("OVERSIGHT_LOAD_WAIT", "0.5,2.0").split(","))
SETTLE = float(os.environ.get("OVERSIGHT_LOAD_SETTLE", "5"))
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
API_HEADERS = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"}

_clients = itertools.count()
_recording = {"since": None, "until": None}
_samples: dict[str, list[list]] = defaultdict(list)
_listed: list[int] = []


@events.spawning_complete.add_listener
def _start_recording(user_count: int, **_kwargs) -> None:
    # Sign-ins (Argon2, on purpose slow) crowd the start; measure the steady state.
    _recording["since"] = time.time() + SETTLE


@events.request.add_listener
def _record(name, response_time, response_length, exception, start_time=None, **_kwargs):
    since = _recording["since"]
    if since is not None and (start_time or time.time()) >= since:
        _samples[name].append([round(response_time, 2), exception is None, response_length])


@events.test_stop.add_listener
def _write_samples(**_kwargs) -> None:
    path = os.environ.get("OVERSIGHT_LOAD_SAMPLES")
    if not path or _recording["since"] is None:
        return
    _recording["until"] = time.time()
    Path(path).write_text(
        json.dumps({"window": _recording, "samples": _samples, "api_list_lengths": _listed})
    )


class InboxUser(FastHttpUser):
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        number = next(_clients)
        if number >= len(USERS):
            # Two clients on one login would fight over the same tasks.
            raise StopUser()
        self.username = USERS[number]
        self.to_complete: list[int] = []  # my open escalations, not yet completed
        self.seen: list[int] = []  # any task of mine to open
        self.rng = random.Random(number)
        self.client.cookiejar.set_policy(LoopbackCookiePolicy())
        self.sign_in()
        self.find_escalations()

    def sign_in(self) -> None:
        page = self.client.get("/login", name="login form")
        token = CSRF.search(page.text or "")
        with self.client.post(
            "/login",
            data={
                "csrf_token": token.group(1) if token else "",
                "username": self.username,
                "password": PASSWORD,
                "next": "",
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/login" in response.headers.get("Location", ""):
                response.failure(f"{self.username} could not sign in ({response.status_code})")
                raise StopUser()

    def find_escalations(self) -> None:
        """The API filtered to escalations: what this client may complete."""
        response = self.client.get(
            "/api/tasks?kind=escalation", name="api list (escalations)", headers=API_HEADERS
        )
        if response.status_code != 200:
            return
        # Only open tasks are listed, so those completed already are not offered again.
        self.to_complete = [
            t["id"]
            for t in response.json().get("tasks", [])
            if t.get("completes_by") == "acknowledgement" and t.get("assignee") is not None
        ]

    @task(6)
    def inbox_page(self) -> None:
        with self.client.get("/inbox", name="inbox page", catch_response=True) as response:
            if response.status_code != 200 or "inbox" not in (response.text or ""):
                response.failure(f"inbox page answered {response.status_code}")

    @task(3)
    def api_list(self) -> None:
        with self.client.get(
            "/api/tasks", name="api list", headers=API_HEADERS, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"api list answered {response.status_code}")
                return
            ids = [t["id"] for t in response.json().get("tasks", [])]
            if _recording["since"] is not None:
                # How many tasks one response lists shows whether the API pages.
                _listed.append(len(ids))
            self.seen = ids or self.seen

    @task(2)
    def task_page(self) -> None:
        if self.seen:
            self.open_task(self.rng.choice(self.seen))

    @task(1)
    def complete_with_form(self) -> None:
        task_id = self.next_to_complete()
        if task_id is None:
            return
        token = self.open_task(task_id)
        with self.client.post(
            f"/tasks/{task_id}/acknowledge",
            data={"csrf_token": token or ""},
            name="complete (form)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # Done: back to the inbox. Refused: back to the task page with a message.
            if response.status_code != 302 or not response.headers.get("Location", "").endswith(
                "/inbox"
            ):
                response.failure(f"acknowledge answered {response.status_code}")

    @task(1)
    def complete_with_api(self) -> None:
        task_id = self.next_to_complete()
        if task_id is None:
            return
        with self.client.post(
            f"/api/tasks/{task_id}/complete",
            name="complete (api)",
            headers=API_HEADERS,
            catch_response=True,
        ) as response:
            try:
                status = response.json().get("status")
            except ValueError:
                status = None
            if response.status_code != 200 or status != "completed":
                response.failure(f"complete answered {response.status_code}, status {status}")

    def open_task(self, task_id: int) -> str | None:
        """The task's page, as a person opens it; its CSRF token for a button."""
        with self.client.get(
            f"/tasks/{task_id}", name="task page", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"task page answered {response.status_code}")
                return None
            token = CSRF.search(response.text or "")
            return token.group(1) if token else None

    def next_to_complete(self) -> int | None:
        if not self.to_complete:
            self.find_escalations()
        return self.to_complete.pop(0) if self.to_complete else None
