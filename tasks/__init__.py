"""Prefect tasks: small, typed wrappers round the plain functions in `models`,
taking IDs and plain values, adding retries, logs and artifacts. Each module
keeps its plain function (testable without Prefect) beside the task."""
