"""The few calls to Prefect's REST API the event measurement makes: find a
deployment, pause one, and list the flow runs the triggers started."""

from __future__ import annotations

import urllib.parse
from datetime import datetime

import httpx

FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


class PrefectApi:
    def __init__(self, api_url: str):
        self.http = httpx.Client(base_url=api_url.rstrip("/") + "/", timeout=30)

    def close(self) -> None:
        self.http.close()

    def deployment_id(self, full_name: str) -> str:
        flow_name, name = full_name.split("/", 1)
        quoted = "/".join(urllib.parse.quote(p, safe="") for p in (flow_name, name))
        response = self.http.get(f"deployments/name/{quoted}")
        response.raise_for_status()
        return response.json()["id"]

    def pause(self, full_name: str) -> None:
        self.http.post(
            f"deployments/{self.deployment_id(full_name)}/pause_deployment"
        ).raise_for_status()

    def runs_since(self, since: datetime) -> list[dict]:
        """Flow runs created at or after `since` (UTC), newest first."""
        response = self.http.post(
            "flow_runs/filter",
            json={
                "flow_runs": {"expected_start_time": {"after_": since.isoformat()}},
                "sort": "EXPECTED_START_TIME_DESC",
                "limit": 200,
            },
        )
        response.raise_for_status()
        return [r for r in response.json() if parse_time(r["created"]) >= since]


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def state_type(run: dict) -> str:
    return (run.get("state") or {}).get("type") or run.get("state_type") or ""
