"""Every flow Prefect serves, declared once: a row per flow and the one
deployment that serves it.

A row says which of the policy engine's lifecycles the flow runs
(policy.LIFECYCLES), its name and description as the Prefect UI lists them,
the title of its report, the subjects it can run for, its schedule and the
outbox events it runs on (models/events.py, read through flows/subjects.py).
The flows that are a reconcile and nothing more are made from their rows
(flows/lifecycles.py); the others are written out in their own modules and
take their name and description from here. deployments/serve.py serves
every row.

A new lifecycle that is a reconcile and nothing more is a row here and one
line in flows/lifecycles.py that names its flow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from prefect.schedules import Cron, Interval, Schedule

from flows.subjects import CASE, RELATIONSHIP, STAFF, SUBJECTS, Listen, Subject, listen
from models import events

TIMEZONE = "Europe/London"

# Before the working day starts, so inboxes are current when people log in. A
# daily run looks only at what changed or what a date reached (flows/lifecycle.py);
# the weekly catch-up, and a run asked for by hand, look at everyone.
CHANGED_ONLY = {"changed_only": True}
DAILY_AT_SIX = Cron("0 6 * * *", timezone=TIMEZONE, parameters=CHANGED_ONLY)
# The year's sessions are planned just before the lifecycles run.
DAILY_BEFORE_SIX = Cron("45 5 * * *", timezone=TIMEZONE)
# Deleting records is done at night, away from people's work.
NIGHTLY = Cron("0 2 * * *", timezone=TIMEZONE, parameters=CHANGED_ONLY)
# The digest goes once the morning's lifecycles have run.
DAILY_AT_SEVEN = Cron("0 7 * * *", timezone=TIMEZONE)
# A catch-up of everything, once a week.
WEEKLY_ON_SUNDAY = Cron("0 5 * * 0", timezone=TIMEZONE)
EVERY_MINUTE = Interval(60, timezone=TIMEZONE)
EVERY_FIVE_MINUTES = Interval(300, timezone=TIMEZONE)
# Files dropped for import are picked up within a quarter of an hour.
EVERY_QUARTER_HOUR = Interval(900, timezone=TIMEZONE)
# The dashboard's kept figures: at most an hour old, and the day's first kept
# soon after midnight (the page opens as of today).
HOURLY_AT_QUARTER_PAST = Cron("15 * * * *", timezone=TIMEZONE)


@dataclass(frozen=True)
class FlowRow:
    """One flow and the deployment that serves it."""

    deployment: str  # the deployment's name, e.g. "agreement-daily"
    entrypoint: str  # where the flow is: "<module>.<name>", as Prefect imports it
    name: str  # the flow's name: a sentence saying what it keeps true
    description: str
    run_name: str  # how its runs' names and its report's artifact key start ("" for neither)
    title: str = ""  # its report's heading
    lifecycles: tuple[str, ...] = ()  # the policy engine's lifecycles it owns
    subjects: tuple[Subject, ...] = ()  # what one run of it can be about
    schedules: tuple[Schedule, ...] = (DAILY_AT_SIX,)
    listens: tuple[Listen, ...] = ()
    every_lifecycle: bool = False  # it reconciles every lifecycle (the weekly and national runs)

    @property
    def full_name(self) -> str:
        """What `prefect deployment run` and `run_deployment` take."""
        return f"{self.name}/{self.deployment}"

    @property
    def tags(self) -> tuple[str, ...]:
        """Its runs' tags, for the UI's filters (README: "Lifecycle runs"): a
        lifecycle run carries "lifecycle" and its lifecycles' names; a service
        flow "service", and "frequent" when it runs every few minutes."""
        if self.lifecycles or self.every_lifecycle:
            return ("oversight", "lifecycle", *self.lifecycles)
        frequent = any(s in (EVERY_MINUTE, EVERY_FIVE_MINUTES) for s in self.schedules)
        return ("oversight", "service", *(("frequent",) if frequent else ()))

    @property
    def module(self) -> str:
        return self.entrypoint.rpartition(".")[0]

    @property
    def function(self) -> str:
        return self.entrypoint.rpartition(".")[2]


ROWS: tuple[FlowRow, ...] = (
    FlowRow(
        "agreement-daily",
        "flows.agreement_lifecycle.agreement_lifecycle",
        "Make sure every new supervision relationship has a signed agreement",
        "Creates 'Draft and sign the supervision agreement' in the supervisor's inbox, the "
        "countersignature in the supervisee's, and escalates overdue agreements to the "
        "supervisor's line manager. Safe to run again: it creates nothing twice.",
        "agreement",
        "Agreement lifecycle",
        ("agreement",),
        (RELATIONSHIP, STAFF),
        listens=(listen("agreement"), listen("group-agreement", for_organisation=True)),
    ),
    FlowRow(
        "agreement-review-daily",
        "flows.lifecycles.agreement_review_lifecycle",
        "Review every supervision agreement and its questionnaire every year",
        "Puts the annual agreement review in the supervisor's inbox ahead of its date, and the "
        "annual review questionnaire, forwarded to the supervisor's line manager; escalates "
        "the overdue.",
        "agreement-review",
        "Annual agreement review",
        ("agreement_review",),
        (RELATIONSHIP, STAFF),
        listens=(
            listen("agreement", "review-questionnaire"),
            listen("group-agreement", for_organisation=True),
        ),
    ),
    FlowRow(
        "personal-supervision-daily",
        "flows.lifecycles.personal_supervision_lifecycle",
        "Keep personal supervision on its cadence and every record written and signed",
        "The next session is due per role, employment type and agreed frequency: a 'hold "
        "supervision' task reaches the supervisor ahead of the due date (OVERSIGHT_LEAD_DAYS); "
        "the record falls due per the profile's recording deadline and needs both "
        "signatures, with the reason when a session was late. Case records and decisions on "
        "the child's record are in the recording lifecycle too.",
        "personal-supervision",
        "Personal supervision and recording",
        ("personal_supervision", "recording"),
        (RELATIONSHIP, STAFF, CASE),
        # The year's plan is the relationship's sessions; case notes and decisions
        # are on the child's record.
        listens=(listen("agreement", "session", "schedule"), listen("case")),
    ),
    FlowRow(
        "asye-daily",
        "flows.lifecycles.asye_lifecycle",
        "Take every newly qualified social worker through their ASYE year",
        "Supervision weekly, fortnightly, then four-weekly (per the profile) with the phase "
        "changing on the right days, reflective supervision where the profile has it, the "
        "3-, 6- and 12-month reviews and observations of practice, and the handover to the "
        "role's normal cadence at 12 months.",
        "asye",
        "ASYE year",
        ("asye",),
        (RELATIONSHIP, STAFF),
        listens=(listen("agreement", "session"), listen("asye-review")),
    ),
    FlowRow(
        "case-supervision-daily",
        "flows.lifecycles.case_supervision_lifecycle",
        "Supervise every child's case as often as its type needs",
        "Case supervision by case type, the first within the profile's limit of allocation "
        "and again on reallocation to a new worker (the old worker's is cancelled), and "
        "the monthly case-file audits on a rota. Cases are named by case ID only.",
        "case-supervision",
        "Case supervision and case-file audits",
        ("case_supervision", "case_file_audit"),
        (STAFF, CASE),
        listens=(listen("case"),),
    ),
    FlowRow(
        "observation-and-development-daily",
        "flows.lifecycles.observation_lifecycle",
        "Observe practice and supervision and discuss development every quarter",
        "Practice observations (with families where the profile says), supervision "
        "observations, and the quarterly development discussion.",
        "observation",
        "Observations and development",
        ("observation", "development"),
        (RELATIONSHIP, STAFF),
        # Development is discussed in supervision sessions.
        listens=(listen("observation"), listen("session")),
    ),
    FlowRow(
        "registration-daily",
        "flows.lifecycles.registration_lifecycle",
        "Check every social worker's registration before it renews",
        "Social Work England renews every year between 1 September and 30 November: the "
        "check falls due in the supervisor's inbox as the window opens. DBS re-checks, at "
        "the interval OVERSIGHT_DBS_RECHECK_YEARS, run in this lifecycle too (where the "
        "profile has them).",
        "registration",
        "Registration and DBS checks",
        ("registration",),
        (STAFF,),
        listens=(listen(events.REGISTRATION_CHECK_RECORDED, events.DBS_CHECK_RECORDED),),
    ),
    FlowRow(
        "record-audit-daily",
        "flows.lifecycles.record_audit_lifecycle",
        "Audit every supervisor's supervision records every year",
        "Puts the audit of a supervisor's supervision records, on the council's checklist, in "
        "their line manager's inbox a year after the last one (or after they began "
        "supervising), and where the council asks, the discussion of the audit in the "
        "supervisor's.",
        "record-audit",
        "Audits of supervision records",
        ("record_audit",),
        (STAFF,),
        listens=(listen("record-audit"),),
    ),
    FlowRow(
        "supervisor-absence-and-load-daily",
        "flows.lifecycles.supervisor_absence_lifecycle",
        "Cover absent supervisors and keep every supervisor's load within the cap",
        "A supervisor absent longer than the profile allows puts a cover task in their line "
        "manager's inbox; while a cover arrangement is in force their open human tasks are "
        "in the cover supervisor's inbox, and back in theirs after it. Supervisors over the "
        "cap of supervisees are raised with their line manager.",
        "supervisors",
        "Supervisor absence, cover and load",
        ("supervisor_absence", "supervisor_load"),
        (STAFF,),
        listens=(listen("cover"),),
    ),
    FlowRow(
        "sampling-quarterly",
        "flows.sampling.sampling_lifecycle",
        "Give every head of service their quarterly sample of supervision records",
        "On the first working day of each quarter, draws a random, reproducible sample "
        "(seeded and recorded, weighted toward the overdue, OVERSIGHT_SAMPLE_SIZE records) of "
        "supervision records and agreements from each head of service's own service area, "
        "and puts the sampling task in their inbox. Runs daily; drawing is idempotent.",
        "sampling",
        "Quarterly sampling",
        ("sampling",),
        (STAFF,),
        # Acts on the first working day of each quarter (or the first run after it).
        listens=(listen("sample", for_organisation=True),),
    ),
    FlowRow(
        "retention-nightly",
        "flows.retention.retention_lifecycle",
        "Delete supervision records when their retention period is over",
        "Deletes the supervision records of people who left longer ago than the profile "
        "keeps them (Nottingham §3.5: 5 years), one person per transaction, each with an "
        "audit entry that says what was deleted and when, without the content.",
        "retention",
        "Retention",
        ("retention",),
        # Deleting is done by the flow itself; no outbox event asks for it.
        schedules=(NIGHTLY,),
    ),
    FlowRow(
        "schedule-daily",
        "flows.schedule.supervision_schedule",
        "Plan the year's supervision sessions when an agreement comes in force",
        "Creates the planned sessions for the 12 months after a supervision agreement comes "
        "in force, on the profile's cadence (role, probation, ASYE, agreed frequency), for "
        "every relationship whose agreement in force has none planned yet.",
        "schedule",
        "The year's sessions",
        subjects=(RELATIONSHIP,),
        schedules=(DAILY_BEFORE_SIX,),
        listens=(listen(events.AGREEMENT_IN_FORCE),),
    ),
    FlowRow(
        "every-lifecycle-weekly",
        "flows.whole_organisation.every_lifecycle",
        "Bring every supervision lifecycle up to date",
        "Plans the year's sessions for agreements that came in force, draws the quarter's "
        "samples, deletes records past retention, then reconciles every lifecycle "
        "(agreements, reviews, personal and ASYE supervision, recording, cases, "
        "observations, development, sampling, audits, registration, retention, absence "
        "and load) for the whole organisation or one relationship, person or case.",
        "all-lifecycles",
        "Every lifecycle",
        subjects=SUBJECTS,
        schedules=(WEEKLY_ON_SUNDAY,),
        every_lifecycle=True,
        # A leaver's records were deleted: what was still open about them is closed.
        # A change the workforce team made to a person, a relationship or an
        # absence may change what any lifecycle owes them.
        listens=(listen("retention"), listen("staff", "absence"), listen("relationship")),
    ),
    FlowRow(
        "one-organisation",
        "flows.every_organisation.one_organisation",
        "Reconcile every lifecycle for one organisation",
        "Every lifecycle's human tasks for one organisation, batch by batch: everyone, or "
        "with changed_only only the people and cases whose facts changed or whose dates came.",
        "one-organisation",
        "Every lifecycle",
        # No schedule: flows.every_organisation starts one run per organisation on it,
        # so every process serving it shares a national run.
        schedules=(),
        every_lifecycle=True,
        # An import is one event for the organisation: its changed-only run.
        listens=(listen("import", for_organisation=True, changed_only=True),),
    ),
    FlowRow(
        "outbox-every-minute",
        "flows.outbox.drain_outbox_flow",
        "Deliver the web app's events to Prefect",
        "Reads undelivered outbox rows in batches and posts them to Prefect as events; a row "
        "is marked delivered only once Prefect accepted it, so nothing is lost while "
        "Prefect is down.",
        "",  # its runs keep the names Prefect gives them
        schedules=(EVERY_MINUTE,),
    ),
    FlowRow(
        "digest-daily",
        "flows.notifications.send_daily_digests",
        "Email everyone a daily digest of their new and due-soon tasks",
        "One mail a day to each person with their new human tasks and those due soon. What "
        "was sent is recorded, so a run sends nothing twice.",
        "digest",
        "Daily digests",
        schedules=(DAILY_AT_SEVEN,),
    ),
    FlowRow(
        "escalation-mail",
        "flows.notifications.send_escalation_mail",
        "Email each escalation to the person it is escalated to",
        "A mail to whoever holds each open escalation and has not been told about it, as "
        "soon as it exists. What was sent is recorded, so a run sends nothing twice.",
        "escalation-mail",
        "Escalation mail",
        schedules=(EVERY_FIVE_MINUTES,),
        # At once when a run escalated something, or when an escalation changed hands.
        listens=(
            listen("human-tasks", for_organisation=True),
            listen("human-task", for_organisation=True),
        ),
    ),
    FlowRow(
        "monthly-report",
        "flows.monthly_report.monthly_report",
        "Write the monthly supervision report",
        "On the 1st of each month, the month just ended (or any month, on demand): every "
        "dashboard figure as a workbook and CSV files in the reports folder, and the headline "
        "figures beside last month's in the run's artifact. Reads only.",
        "monthly-report",
        "Monthly supervision report",
        schedules=(Cron("0 6 1 * *", timezone=TIMEZONE),),
    ),
    FlowRow(
        "dashboard-figures-hourly",
        "flows.dashboard_figures.keep_dashboard_figures",
        "Keep the dashboard's figures current",
        "Every hour (or on demand), computes every dashboard figure for the period the "
        "dashboard opens on (the last six months, as of today) and keeps it by team, so "
        "the page answers at once; a page for another period is computed live. Safe to "
        "run again: each run replaces what was kept, in one transaction.",
        "dashboard-figures",
        "Dashboard figures",
        schedules=(HOURLY_AT_QUARTER_PAST,),
    ),
    FlowRow(
        "import-folder",
        "flows.import_folder.import_folder",
        "Import the files dropped in the import folder",
        "Every quarter of an hour (or on demand), imports each staff, relationships and cases "
        "file dropped in OVERSIGHT_IMPORT_FOLDER/<organisation>/<kind>/[<mapping>/] through "
        "the same importer as `oversight import`, all or nothing per file, and moves it to "
        "done/ or failed/ with its report. Safe to run again: nothing is imported twice.",
        "import-folder",
        "Import folder",
        schedules=(EVERY_QUARTER_HOUR,),
    ),
)

BY_DEPLOYMENT = {row.deployment: row for row in ROWS}
BY_ENTRYPOINT = {row.entrypoint: row for row in ROWS}


def row(deployment: str) -> FlowRow:
    return BY_DEPLOYMENT[deployment]


def rows_in(module: str) -> Sequence[FlowRow]:
    """The rows whose flow a module defines."""
    return [r for r in ROWS if r.module == module]
