"""Who may take records out of Oversight.

- Case supervision entries as a case system's upload: a supervisor, for the
  entries about the cases of the people in their scope (webapp.scope) and
  those they wrote, since it is they who enter case directions on the
  child's record; the workforce team, for the whole organisation. Nobody
  else: the export exists to put directions on children's records.
- One person's whole supervision file: the workforce team only, for anyone
  in the organisation. Least privilege: a subject access request is answered
  by the council as data controller, which must look at other people's data
  in the file (case IDs, colleagues' names) before it leaves, and a move to
  another council is arranged by HR; the person themselves already reads
  every one of their records in the app, and asks the workforce team for the
  file. Not the principal social worker, a head of service or an auditor:
  reading a record is not taking a copy of all of them away."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select

from models import AppRole, StaffMember
from webapp import scope
from webapp.access import Rule
from webapp.users import AppUser


@dataclass(frozen=True)
class CaseExportScope:
    organisation_id: int
    label: str
    staff_ids: Select | None  # None: the whole organisation


def case_export_scope(user: AppUser) -> CaseExportScope | None:
    if user.has_role(AppRole.WORKFORCE_TEAM.value):
        return CaseExportScope(user.organisation_id, "the whole organisation", None)
    if user.has_role(AppRole.SUPERVISOR.value):
        return CaseExportScope(
            user.organisation_id, "the people you supervise", scope.visible_staff_ids(user)
        )
    return None


def _workforce_team_person(user: AppUser, staff_id: int) -> StaffMember | None:
    if not user.has_role(AppRole.WORKFORCE_TEAM.value):
        return None
    return scope.may_see_staff(user, staff_id)


case_exporter = Rule(
    "case_exporter",
    "A supervisor (the entries in their scope and those they wrote) or the workforce team "
    "(the whole organisation).",
    load=lambda user, args: case_export_scope(user),
)

person_file_exporter = Rule(
    "person_file_exporter",
    "The workforce team, for anyone in their organisation.",
    load=lambda user, args: _workforce_team_person(user, args["staff_id"]),
)
