"""A signed-in person in the web app over HTTP, as the event measurement uses
it: sign in through the login form, read a form's fields as the page fills
them in, post it back, and ask the JSON API for the inbox."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import requests

from bench.load.common import PASSWORD

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
API_HEADERS = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"}
TIMEOUT = 30


class WebClient:
    def __init__(self, base_url: str, username: str):
        self.base_url, self.username = base_url, username
        self.http = requests.Session()

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        # The session cookie is Secure (production is behind TLS) and requests
        # copies the jar, policy and all, into a default one for each request,
        # so clear the flag to have it sent back over plain HTTP to 127.0.0.1.
        for cookie in self.http.cookies:
            cookie.secure = False
        kwargs.setdefault("timeout", TIMEOUT)
        return self.http.request(method, f"{self.base_url}{path}", **kwargs)

    def sign_in(self) -> None:
        page = self.request("GET", "/login")
        token = CSRF.search(page.text)
        response = self.request(
            "POST",
            "/login",
            data={
                "csrf_token": token.group(1) if token else "",
                "username": self.username,
                "password": PASSWORD,
                "next": "",
            },
            allow_redirects=False,
        )
        if response.status_code != 302 or "/login" in response.headers.get("Location", ""):
            raise RuntimeError(f"{self.username} could not sign in ({response.status_code})")

    def form(self, path: str) -> dict[str, str]:
        """The fields of the page's form that posts back to `path`, as filled in."""
        response = self.request("GET", path)
        response.raise_for_status()
        reader = _FormReader(path)
        reader.feed(response.text)
        if not reader.found:
            raise RuntimeError(
                f"{path} has no form posting to itself (status {response.status_code})"
            )
        return reader.fields

    def post_form(self, path: str, fields: dict[str, str]) -> requests.Response:
        return self.request("POST", path, data=fields, allow_redirects=False)

    def inbox(self, **filters: str) -> list[dict]:
        response = self.request("GET", "/api/tasks", params=filters, headers=API_HEADERS)
        response.raise_for_status()
        return response.json()["tasks"]


class _FormReader(HTMLParser):
    """Inputs, text areas and checkboxes of one form (no selects: the forms
    this measures have none)."""

    def __init__(self, action: str):
        super().__init__()
        self.action = action
        self.inside = self.found = False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action", self.action) in ("", self.action)
            self.found |= self.inside
        elif not self.inside or not a.get("name"):
            return
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[self._textarea] = ""
        elif tag == "input" and a.get("type") == "checkbox":
            self.fields.setdefault(a["name"], "")
        elif tag == "input" and a.get("type") not in ("submit", "button"):
            self.fields[a["name"]] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # A browser drops the newline that opens a text area's content.
            self.fields[self._textarea] = self.fields[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self.inside = False
