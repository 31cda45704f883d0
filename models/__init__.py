"""Tables, the session factory, and the functions that change state."""

from models.audit import AuditEntry
from models.base import Base
from models.human_task import OPEN_STATUSES, HumanTask, HumanTaskStatus
from models.org import (
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
from models.outbox import OutboxEvent
from models.supervision import (
    AgreementSignature,
    AgreementStatus,
    RelationshipReason,
    SignatoryParty,
    SupervisionAgreement,
    SupervisionRelationship,
    SupervisionSession,
)

__all__ = [
    "OPEN_STATUSES",
    "AgreementSignature",
    "AgreementStatus",
    "AppRole",
    "AuditEntry",
    "Base",
    "Employment",
    "HumanTask",
    "HumanTaskStatus",
    "Organisation",
    "OutboxEvent",
    "RelationshipReason",
    "ServiceArea",
    "SignatoryParty",
    "StaffMember",
    "StaffRole",
    "SupervisionAgreement",
    "SupervisionRelationship",
    "SupervisionSession",
    "Team",
    "UserAccount",
    "UserRole",
]
