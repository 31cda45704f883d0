"""The autosave endpoint for long forms' drafts (webapp/drafts.py)."""
