"""Stopping the launcher prints no traceback, even when the stop arrives
inside a library that wraps it; the banner lists every demo login."""

from __future__ import annotations

import pytest

from deployments import launcher
from models.demo import LOGINS, _logins


@pytest.fixture(autouse=True)
def _signals_left_alone(monkeypatch):
    """main() installs its signal handlers; not in the test process."""
    monkeypatch.setattr(launcher.signal, "signal", lambda *_args: None)


def _wrapped_stop() -> RuntimeError:
    try:
        try:
            raise launcher.Shutdown("SIGINT")
        except launcher.Shutdown as stop:
            raise RuntimeError("event loop interrupted") from stop
    except RuntimeError as wrapped:
        return wrapped


@pytest.mark.parametrize(
    "error",
    [
        launcher.Shutdown("SIGTERM"),
        KeyboardInterrupt(),
        _wrapped_stop(),
        BaseExceptionGroup("tasks", [KeyboardInterrupt()]),
    ],
    ids=["shutdown", "ctrl-c", "wrapped", "group"],
)
def test_a_stop_inside_a_library_stops_quietly(monkeypatch, capsys, error):
    def run(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(launcher, "run", run)
    assert launcher.main(["--today", "2026-12-07"]) == 0
    captured = capsys.readouterr()
    assert "[oversight] Stopped." in captured.out
    assert "Traceback" not in captured.out + captured.err


def test_any_other_error_still_shows_itself(monkeypatch):
    def run(*_args, **_kwargs):
        raise ValueError("a real fault")

    monkeypatch.setattr(launcher, "run", run)
    with pytest.raises(ValueError, match="a real fault"):
        launcher.main(["--today", "2026-12-07"])


def test_the_banner_lists_every_demo_login_with_what_it_shows():
    settings = launcher.settings_from_environment({})
    text = launcher.banner(settings, _logins(), "done")
    for name, shows, _kinds in LOGINS:
        assert f"{name.lower().replace(' ', '.')}" in text
        assert shows in text
    assert "helen.brooks" in text and "ruth.ellison" in text
