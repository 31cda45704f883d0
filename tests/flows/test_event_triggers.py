"""Event names are declared once (models/events.py) and both sides use them:
the actions write them to the outbox, the deployments' triggers expect them
(deployments/serve.py, from the rows of flows/table.py). An event no trigger
expects would be delivered to Prefect and do nothing; a trigger expecting an
undeclared event would wait for something nobody sends."""

from __future__ import annotations

import ast
import re

from prefect.server.events.schemas.events import matches

from deployments.serve import DEPLOYMENTS
from models import events
from tests.source import PRODUCT, name_of, sources, tree_of

EVENT_NAME = re.compile(rf"{events.PREFIX}\.[a-z-]+\.[a-z-]+")


def triggers():
    return [(d.name, t) for d in DEPLOYMENTS for t in d.triggers]


def runs_on(trigger, event: events.Event) -> bool:
    """Prefect's own matching: the event's name, and its resource, as the drainer sends it."""
    return any(matches(expected, event.name) for expected in trigger.expect) and matches(
        trigger.match.root["prefect.resource.id"], event.resource(7)
    )


def test_every_declared_event_runs_a_deployment():
    unheard = [
        name
        for name, event in events.EVENTS.items()
        if not any(runs_on(trigger, event) for _, trigger in triggers())
    ]

    assert not unheard, f"no deployment's trigger runs on {unheard} (flows/table.py listens=)"


def test_the_asye_review_runs_the_asye_flow_for_the_worker():
    [asye] = [
        trigger
        for name, trigger in triggers()
        if name == "asye-daily" and runs_on(trigger, events.ASYE_REVIEW_RECORDED)
    ]

    assert set(asye.parameters) == {"staff_id"}


def test_every_trigger_expects_declared_events_about_what_it_matches():
    wrong = []
    for name, trigger in triggers():
        for expected in trigger.expect:
            heard = [e for e in events.EVENTS.values() if matches(expected, e.name)]
            if not heard:
                wrong.append(f"{name} expects {expected}, which is not declared")
            elif not all(runs_on(trigger, e) for e in heard):
                wrong.append(f"{name} expects {expected}, about something it does not match")

    assert not wrong


def _event_argument(call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "event":
            return keyword.value
    return call.args[0] if call.args else None


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def test_every_outbox_event_is_built_with_a_declared_event():
    """`OutboxEvent(event=events.X.name, ...)` (or an Event passed down and its
    `.name`); a name spelled out, or built, is not declared anywhere."""
    wrong = []
    for path in sources(*PRODUCT):
        for node in ast.walk(tree_of(path)):
            if isinstance(node, ast.Call) and _called(node) in ("OutboxEvent", "emit_event"):
                argument = _event_argument(node)
                if not (isinstance(argument, ast.Attribute) and argument.attr == "name"):
                    wrong.append(f"{name_of(path)}:{node.lineno}")

    assert not wrong, f"build these with a models.events Event's .name: {wrong}"


def test_no_event_name_is_spelled_out_beside_its_declaration():
    wrong = [
        f"{name_of(path)}:{node.lineno} {node.value}"
        for path in sources(*PRODUCT)
        if name_of(path) != "models/events.py"
        for node in ast.walk(tree_of(path))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and EVENT_NAME.fullmatch(node.value)
    ]

    assert not wrong, f"use the Event declared in models/events.py: {wrong}"
