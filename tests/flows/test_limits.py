"""The settings that bound how much a runner's flows take at once."""

from __future__ import annotations

import re

import pytest

from deployments.serve import runner_limit
from flows.limits import batch_workers


def test_two_batches_are_reconciled_at_once_unless_the_setting_says_otherwise(monkeypatch):
    monkeypatch.delenv("OVERSIGHT_BATCH_WORKERS", raising=False)
    assert batch_workers() == 2
    monkeypatch.setenv("OVERSIGHT_BATCH_WORKERS", " 3 ")
    assert batch_workers() == 3


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_batch_workers_setting_that_is_not_a_whole_number_from_one_is_refused_by_name(
    monkeypatch, value
):
    monkeypatch.setenv("OVERSIGHT_BATCH_WORKERS", value)
    with pytest.raises(
        SystemExit,
        match=re.escape(
            f"OVERSIGHT_BATCH_WORKERS: '{value}' should be a whole number of batches from 1, e.g. 2"
        ),
    ):
        batch_workers()


def test_the_runner_limit_is_read_the_same_way(monkeypatch):
    monkeypatch.delenv("OVERSIGHT_RUNNER_LIMIT", raising=False)
    assert runner_limit() == 4
    monkeypatch.setenv("OVERSIGHT_RUNNER_LIMIT", "0")
    with pytest.raises(
        SystemExit,
        match=re.escape("OVERSIGHT_RUNNER_LIMIT: '0' should be a whole number of flow runs from 1"),
    ):
        runner_limit()
