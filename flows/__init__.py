"""Prefect flows: one per lifecycle, each a thin sequence of tasks."""
