"""Shipped export layouts (YAML): one per case system."""
