"""Every key into a table whose rows are deleted (a leaver's sessions,
agreements and observations; mail; a replaced case discussion) leads an
index, a primary key or a unique constraint of its own table. Deleting the
row it points at makes PostgreSQL look for rows still pointing at it; without
an index that is a read of the whole referring table for each row deleted,
which grows with the years of everyone's records, not with the leaver's."""

from __future__ import annotations

from sqlalchemy import ForeignKeyConstraint, PrimaryKeyConstraint, Table, UniqueConstraint

from models import Base

# The tables no code deletes rows from: a leaver's staff row stays (with the
# day their records were deleted), a team or service area is closed, a login
# is switched off, an organisation leaves with its database. Keys into these
# need no index for deletions; any other key does.
NEVER_DELETED_FROM = {"staff_member", "team", "user_account", "organisation", "service_area"}


def _leading_columns(table: Table) -> list[list[str]]:
    leads = [[c.name for c in index.columns] for index in table.indexes]
    leads += [
        [c.name for c in constraint.columns]
        for constraint in table.constraints
        if isinstance(constraint, PrimaryKeyConstraint | UniqueConstraint)
    ]
    return leads


def _unindexed(fk: ForeignKeyConstraint) -> bool:
    columns = [c.name for c in fk.columns]
    return not any(lead[: len(columns)] == columns for lead in _leading_columns(fk.table))


def test_every_key_into_a_table_rows_are_deleted_from_leads_an_index():
    unindexed = [
        f"{fk.table.name}({', '.join(c.name for c in fk.columns)}) -> {fk.referred_table.name}"
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_key_constraints
        if fk.referred_table.name not in NEVER_DELETED_FROM and _unindexed(fk)
    ]
    assert unindexed == []
