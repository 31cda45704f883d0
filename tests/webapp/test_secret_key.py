"""The generated secret key is written atomically: processes starting at once
all use one key, and a process killed while writing it leaves no key file
rather than an empty one, so the next start makes a good key."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from webapp import security


def _key_in(directory: str) -> str:
    return security.secret_key(directory)


def test_processes_starting_at_once_all_use_the_one_key_written(tmp_path, monkeypatch):
    monkeypatch.delenv("OVERSIGHT_SECRET_KEY", raising=False)
    context = multiprocessing.get_context("spawn")
    with context.Pool(8) as pool:
        keys = pool.map(_key_in, [str(tmp_path)] * 16)
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert (tmp_path / "secret_key").read_text() == keys[0]
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary files left
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # the owner's only


def test_a_process_killed_while_writing_leaves_no_key_file_and_the_next_start_makes_one(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("OVERSIGHT_SECRET_KEY", raising=False)

    def killed(fd):
        raise SystemExit("killed mid-write")

    with monkeypatch.context() as patched:
        patched.setattr(os, "fsync", killed)
        with pytest.raises(SystemExit):
            security.secret_key(tmp_path)
    assert not (tmp_path / "secret_key").exists()
    key = security.secret_key(tmp_path)
    assert len(key) == 64 and (tmp_path / "secret_key").read_text() == key


def test_an_empty_key_left_by_an_older_version_is_replaced(tmp_path, monkeypatch):
    monkeypatch.delenv("OVERSIGHT_SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("")
    key = security.secret_key(tmp_path)
    assert len(key) == 64
    assert security.secret_key(tmp_path) == key
