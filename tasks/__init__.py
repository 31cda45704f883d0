"""Prefect tasks: small, typed wrappers round the plain functions in `models`
(which hold the SQL), taking IDs and plain values, adding retries, logs and
artifacts."""
