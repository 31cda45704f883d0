"""The launcher's child processes (deployments/launcher.py): each in its own
process group, logging to a file, dying with the launcher; waiting until one
answers; checking a port is free. Only the standard library: Prefect reads its
settings from the environment when first imported, so nothing here imports it."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import IO

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
STOP_TIMEOUT = 15.0


class LauncherError(RuntimeError):
    """Startup cannot go on; the message says why and what to do."""


class Service:
    """A child process in its own process group, logging to a file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log_path: Path):
        self.name = name
        self.command = command
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            cwd=PROJECT_ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            # Own process group: a terminal's Ctrl-C reaches only the launcher, which
            # then stops each service in order, including any processes it spawned.
            start_new_session=True,
            # If the launcher itself is killed outright, its services go with it.
            preexec_fn=_die_with_parent,
        )

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        if self.process is not None and self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait(5)
        if self.process is not None:
            # Anything the service itself spawned (Prefect's server runs workers) goes too.
            self._signal_group(signal.SIGKILL)
        if self._log is not None:
            self._log.close()
            self._log = None

    def _signal_group(self, signum: int) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)


def _die_with_parent() -> None:
    """Linux: ask the kernel to SIGTERM this child when the launcher dies."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def wait_until(
    ready: Callable[[], bool],
    *,
    timeout: float,
    service: Service,
    failure: str,
    interval: float = 0.5,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if service.exited() is not None:
            raise LauncherError(
                f"{service.name} stopped during startup (exit code {service.exited()}). "
                f"Last lines of {service.log_path}:\n{service.log_tail()}"
            )
        time.sleep(interval)
    raise LauncherError(
        f"{failure} after {timeout:.0f} s. Last lines of {service.log_path}:\n{service.log_tail()}"
    )


def http_ok(url: str, *, method: str = "GET", body: dict | None = None) -> bool:
    """True when the URL answers (any status below 500)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # nosec B310 # an http URL built from our own settings
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except (urllib.error.URLError, OSError):
        return False


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return True
    return False


def ensure_port_free(port: int, what: str, variable: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as error:
            raise LauncherError(
                f"Port {port} on {HOST} is already in use ({error.strerror}), so {what} "
                f"cannot start. Stop whatever is using it (another launcher?) or choose "
                f"another port: {variable}=<port>."
            ) from None
