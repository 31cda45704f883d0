"""Oversight's policy engine: council profiles and the pure function from
(profile, facts, as-of date) to obligations. Imports nothing of ours beyond
this package, and no Prefect, Flask or SQLAlchemy."""

from policy.engine import LIFECYCLES, compute_obligations
from policy.facts import Agreement, Case, Facts, Relationship, Session, Staff
from policy.facts_json import FactsError, facts_from_json
from policy.obligations import Obligation, ObligationStatus
from policy.profile import Profile, ProfileError, Rule, available_profiles, load_profile

__all__ = [
    "LIFECYCLES",
    "Agreement",
    "Case",
    "Facts",
    "FactsError",
    "Obligation",
    "ObligationStatus",
    "Profile",
    "ProfileError",
    "Relationship",
    "Rule",
    "Session",
    "Staff",
    "available_profiles",
    "compute_obligations",
    "facts_from_json",
    "load_profile",
]
