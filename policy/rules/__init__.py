"""The rule families. Each `*_obligations(ctx)` function reads one council's
rules from `ctx.profile` and the facts in `ctx`, and returns what is owed,
met or not, with the rule's own wording and citation; a rule the profile does
not state produces nothing. policy/engine.py's LIFECYCLES table says which
functions make up each lifecycle and for which kind of unit.

- agreement: the written agreement (deadline, signatures, annual review and
  its questionnaire); group_agreement: Lancashire's group agreement.
- personal_supervision: one-to-one, group and ASYE reflective cadence,
  built on cadence (recurring "every N weeks" that may change over time).
- asye: the ASYE year's reviews and observations.
- case_supervision: every open case on its type's cadence.
- recording: records, countersignatures, case directions, decisions, late reasons.
- observation: observations of practice and of supervision.
- oversight: development discussions, record sampling, case file audits.
- workforce: registration, DBS, retention, supervisor absence and load.
- escalation: the steps an unmet obligation climbs; windows: fixed periods
  ("three times a year")."""
