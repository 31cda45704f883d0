"""The tables: SQLAlchemy 2.0 typed models, one module per area of the service."""
