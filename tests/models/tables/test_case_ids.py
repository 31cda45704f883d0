"""A case ID has one format everywhere: the tables and forms accept exactly
what the facts file accepts (policy.facts.CASE_ID_FORMAT), and never a name."""

from __future__ import annotations

import pytest

from models.tables.cases import CaseIdError, check_case_id
from policy.facts import CASE_ID_FORMAT


@pytest.mark.parametrize("case_id", ["C204511", "LCS-300001", "MOS123456", "1234567"])
def test_the_case_systems_ids_are_accepted_by_the_tables_and_the_facts_file(case_id):
    assert check_case_id(case_id) == case_id
    assert CASE_ID_FORMAT.fullmatch(case_id)


@pytest.mark.parametrize("case_id", ["Amy Smith", "LCS-12", "C٣٣٣٣٣", "ABCDEF-123456", ""])
def test_a_name_or_a_malformed_id_is_refused_saying_what_to_enter(case_id):
    with pytest.raises(CaseIdError, match="case ID from the case system"):
        check_case_id(case_id)
