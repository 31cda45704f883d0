"""Prefect flows: one per lifecycle, each a thin sequence of tasks, declared
with the deployment that serves it in table.py."""
