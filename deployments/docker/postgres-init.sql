-- Runs once, when the db volume is first created: Prefect's server keeps its
-- own tables (and its own alembic_version) in a database of its own.
CREATE DATABASE prefect;
