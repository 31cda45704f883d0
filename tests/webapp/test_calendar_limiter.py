"""The calendar feed's wrong-token limit is counted in the database (every
worker process shares it), per token prefix and per address, and only wrong
tokens count: one address guessing never blocks anyone's valid feed."""

from __future__ import annotations

from tests.webapp.conftest import build_app, login
from tests.webapp.test_calendar import _new_link

GUESSER = {"REMOTE_ADDR": "198.51.100.66"}


def test_a_valid_feed_is_served_while_its_address_is_over_the_limit(client, world, db):
    login(client, world.worker)
    link = _new_link(client)
    statuses = [
        client.get(f"/calendar/feed.ics?token=guess{i}", environ_base=GUESSER).status_code
        for i in range(25)
    ]
    assert statuses[-1] == 429
    assert client.get(link, environ_base=GUESSER).status_code == 200


def test_the_wrong_token_count_is_shared_by_every_worker_process(world, db):
    """Two app instances stand for two worker processes: the count is in the
    database, not in either one's memory."""
    first, second = build_app(db).test_client(), build_app(db).test_client()
    for i in range(10):
        first.get(f"/calendar/feed.ics?token=guess{i}", environ_base=GUESSER)
        second.get(f"/calendar/feed.ics?token=guess{i}", environ_base=GUESSER)
    assert first.get("/calendar/feed.ics?token=guess", environ_base=GUESSER).status_code == 429


def test_guesses_at_one_token_prefix_are_limited_from_any_address(world, db):
    client = build_app(db).test_client()
    statuses = [
        client.get(
            "/calendar/feed.ics?token=AbCd" + str(i), environ_base={"REMOTE_ADDR": f"10.1.0.{i}"}
        ).status_code
        for i in range(22)
    ]
    assert statuses[:20] == [404] * 20 and statuses[-1] == 429
