"""Heads of service sampling supervision records each quarter (Lancashire 000
§2.1, Bristol 002 §5.10)."""
