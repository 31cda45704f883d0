"""The dashboard: where the service stands, for the viewer's scope."""
