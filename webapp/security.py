"""Response headers, the secret key, and safe redirects."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, jsonify, render_template, request

from webapp.fields import unusable_json, unusable_values

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def init_app(app: Flask) -> None:
    app.before_request(refuse_unusable_input)

    @app.after_request
    def _add_security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        # Pages carry personal data about staff: never keep them in a shared cache.
        if request.endpoint != "static" and not (request.endpoint or "").endswith(".static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def refuse_unusable_input() -> Response | tuple | None:
    """Before any view: a value no field can use (webapp.fields.unusable_value)
    gets a 400 naming the field, as a GOV.UK error summary (JSON under /api/),
    and nothing is read or stored. A JSON body nested beyond the parser's
    depth is refused the same way."""
    # A page's filters and links reach the database too (a search, a calendar
    # token): a null character (PostgreSQL refuses it in any text) or a number
    # too large for any column is refused here, naming the value.
    problems = unusable_values(request.args.items(multi=True))
    writing = request.method not in ("GET", "HEAD", "OPTIONS")
    if writing:
        problems += unusable_values(request.form.items(multi=True))
        if request.is_json:
            try:
                problems += unusable_json(json.loads(request.get_data(cache=True) or b"null"))
            except ValueError:
                pass  # not JSON: the view's own get_json says so
            except RecursionError:
                problems.append({"text": "The JSON body is nested too deeply", "href": "#body"})
    if not problems:
        return None
    if request.path.startswith("/api/"):
        # The API documents 422 for a body it cannot use and 400 for bad query values.
        message = "; ".join(p["text"] for p in problems) + "."
        return jsonify({"error": message}), 422 if writing else 400
    return render_template("errors/bad_input.html", problems=problems), 400


def secret_key(instance_path: str | Path) -> str:
    """OVERSIGHT_SECRET_KEY if set; otherwise a key generated once and kept in
    instance/secret_key, so a restart keeps everyone signed in.

    The key file appears whole or not at all: the key is written and synced
    to a temporary file beside it (readable by the owner only), which is then
    hard-linked into place. A link never replaces a file, so of two processes
    starting at once the first wins and both use its key; a kill before the
    link leaves no key file at all, never an empty one."""
    from_env = os.environ.get("OVERSIGHT_SECRET_KEY")
    if from_env:
        return from_env
    path = Path(instance_path) / "secret_key"
    existing = _read_key(path)
    if existing:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".secret_key.", dir=path.parent)
    try:
        with os.fdopen(handle, "w") as key_file:
            key_file.write(secrets.token_hex(32))
            key_file.flush()
            os.fsync(key_file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            if not _read_key(path):
                # An empty key left by an older version killed mid-write.
                os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    key = _read_key(path)
    if not key:
        raise RuntimeError(f"could not keep a secret key in {path}")
    return key


def _read_key(path: Path) -> str:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return ""


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: "/inbox?x=1" yes; "//evil.test", "https://evil.test",
    "/\\evil.test", "javascript:..." no."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
