"""Why an action could not be done, in plain English; nothing was stored.
Every action raises these, and every view reports them the same way."""

from __future__ import annotations


class ActionError(Exception):
    """A plain-English reason the action could not be done; nothing was stored."""


class NotPermitted(ActionError):
    """The person may not do this, to this subject, now."""


class AlreadySigned(ActionError):
    """The signature asked for is on the record already (a form sent twice)."""
