"""Tables, the session factory, and the functions that change state."""

from models.base import Base
from models.tables.audit import AuditEntry
from models.tables.case_oversight import CaseOversight
from models.tables.cases import CaseAllocation, CaseFileAudit, CaseSupervision, CaseType
from models.tables.dashboard_summary import DashboardSummary, DashboardSummaryCell
from models.tables.draft import FormDraft
from models.tables.group_agreement import (
    GroupAgreementSignatory,
    GroupAgreementStatus,
    GroupParty,
    GroupSupervisionAgreement,
    SupervisionGroup,
)
from models.tables.human_task import OPEN_STATUSES, HumanTask, HumanTaskStatus
from models.tables.mail import MailMessage, Notification
from models.tables.missed_session import MissedSession
from models.tables.org import (
    AppRole,
    Employment,
    Organisation,
    ServiceArea,
    StaffMember,
    StaffRole,
    Team,
    UserAccount,
    UserRole,
)
from models.tables.outbox import OutboxEvent
from models.tables.oversight import (
    Absence,
    AsyeReview,
    CalendarToken,
    CheckKind,
    CoverArrangement,
    HoursWorked,
    Observation,
    ObservationKind,
    ObservationSignature,
    RegistrationCheck,
    ReviewQuestionnaire,
    Sample,
    SampleItem,
)
from models.tables.reconcile_state import FactChange, ReconcileWake, ReconcileWatermark
from models.tables.record_audit import SupervisionRecordAudit
from models.tables.sign_in import AttemptCounter, SignInSession
from models.tables.supervision import (
    AgreementSignature,
    AgreementStatus,
    GroupSupervisionAttendance,
    RecordStatus,
    RelationshipReason,
    SessionAction,
    SessionKind,
    SessionRecordVersion,
    SessionSignature,
    SessionStatus,
    SignatoryParty,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)

__all__ = [
    "OPEN_STATUSES",
    "Absence",
    "AgreementSignature",
    "AgreementStatus",
    "AppRole",
    "AsyeReview",
    "AttemptCounter",
    "AuditEntry",
    "Base",
    "CalendarToken",
    "CaseAllocation",
    "CaseFileAudit",
    "CaseOversight",
    "CaseSupervision",
    "CaseType",
    "CheckKind",
    "CoverArrangement",
    "DashboardSummary",
    "DashboardSummaryCell",
    "Employment",
    "FactChange",
    "FormDraft",
    "GroupAgreementSignatory",
    "GroupAgreementStatus",
    "GroupParty",
    "GroupSupervisionAgreement",
    "GroupSupervisionAttendance",
    "HoursWorked",
    "HumanTask",
    "HumanTaskStatus",
    "MailMessage",
    "MissedSession",
    "Notification",
    "Observation",
    "ObservationKind",
    "ObservationSignature",
    "Organisation",
    "OutboxEvent",
    "ReconcileWake",
    "ReconcileWatermark",
    "RecordStatus",
    "RegistrationCheck",
    "RelationshipReason",
    "ReviewQuestionnaire",
    "Sample",
    "SampleItem",
    "ServiceArea",
    "SessionAction",
    "SessionKind",
    "SessionRecordVersion",
    "SessionSignature",
    "SessionStatus",
    "SignInSession",
    "SignatoryParty",
    "StaffMember",
    "StaffRole",
    "SupervisionAgreement",
    "SupervisionGroup",
    "SupervisionRecordAudit",
    "SupervisionRelationship",
    "SupervisionSession",
    "Team",
    "UserAccount",
    "UserRole",
]
