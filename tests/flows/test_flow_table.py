"""The table of flows (flows/table.py): each row's flow is where the row says,
takes the subjects the row names, and a flow made from its row shows its
parameters to the Prefect UI like one written out."""

from __future__ import annotations

import inspect
from datetime import date

import cloudpickle
import pytest
from prefect.utilities.importtools import import_object

from deployments.serve import DEPLOYMENTS
from flows.lifecycles import personal_supervision_lifecycle, registration_lifecycle
from flows.subjects import ORGANISATION, SUBJECTS
from flows.table import ROWS

SUBJECT_PARAMETERS = {s.parameter for s in SUBJECTS}


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.deployment)
def test_each_rows_flow_is_imported_from_its_entrypoint_and_served(row):
    flow = import_object(row.entrypoint)
    [served] = [d for d in DEPLOYMENTS if d.row is row]

    assert served.flow is flow
    assert f"{flow.fn.__module__}.{flow.fn.__name__}" == row.entrypoint
    assert (flow.name, flow.description or "") == (row.name, row.description)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.deployment)
def test_each_flow_takes_the_subjects_its_row_names(row):
    accepted = set(inspect.signature(import_object(row.entrypoint).fn).parameters)

    assert accepted & SUBJECT_PARAMETERS == {s.parameter for s in row.subjects}


def test_a_flow_made_from_its_row_has_typed_parameters_in_its_signature():
    signature = inspect.signature(personal_supervision_lifecycle.fn)

    assert [(p.name, p.annotation, p.default) for p in signature.parameters.values()] == [
        ("as_of", date | None, None),
        ("organisation_id", int | None, None),
        ("relationship_id", int | None, None),
        ("staff_id", int | None, None),
        ("case_ref", str | None, None),
        ("changed_only", bool, False),
    ]


def test_the_ui_form_of_a_made_flow_types_and_describes_each_parameter():
    properties = registration_lifecycle.parameters.properties

    assert list(properties) == ["as_of", "organisation_id", "staff_id", "changed_only"]
    assert properties["as_of"]["anyOf"][0] == {"format": "date", "type": "string"}
    assert properties["staff_id"]["anyOf"][0] == {"type": "integer"}
    assert properties["changed_only"]["type"] == "boolean"
    assert properties["organisation_id"]["description"] == ORGANISATION.help


def test_a_made_flow_refuses_a_parameter_it_does_not_take():
    with pytest.raises(TypeError, match="relationship_id"):
        registration_lifecycle.fn(relationship_id=4)


def test_a_made_flow_survives_the_pickling_a_served_run_goes_through():
    """Prefect's runner sends the flow to the run's process with cloudpickle."""
    copy = cloudpickle.loads(cloudpickle.dumps(registration_lifecycle))

    assert inspect.signature(copy.fn) == inspect.signature(registration_lifecycle.fn)
    assert copy.name == registration_lifecycle.name
