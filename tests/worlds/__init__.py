"""Whole councils for tests, each built with the one builder
(`builder.Council`) from the factories in tests/factories:

    small_council      Testshire, the web tests' council (build_world -> World),
                       and what some tests add to it (every role, a coordinator)
    year_of_records    the small council with a year of supervision behind it
                       (import it from its module: it records sessions through
                       models.actions, which the others need not load)
    new_starters       a new starter; two new relationships (agreement lifecycle)
    busy_organisation  something live in every lifecycle at once, relative to a date

A test that needs a council of its own builds it with `Council`."""

from tests.worlds.builder import Council
from tests.worlds.busy_organisation import build_organisation
from tests.worlds.new_starters import START, NewStarter, new_relationships, new_starter
from tests.worlds.small_council import (
    TODAY,
    World,
    add_every_role,
    add_team_coordinator,
    build_world,
)

__all__ = [
    "START",
    "TODAY",
    "Council",
    "NewStarter",
    "World",
    "add_every_role",
    "add_team_coordinator",
    "build_organisation",
    "build_world",
    "new_relationships",
    "new_starter",
]
