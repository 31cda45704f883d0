"""The OpenAPI 3.0 document for the inbox API, written by hand so each
route's meaning, its errors and the CSRF header are described in words."""

from __future__ import annotations

from typing import Any

API_HEADER = "X-Requested-With"
API_HEADER_VALUE = "XMLHttpRequest"
MAX_ID = 2**31 - 1  # the largest ID a database column holds

_ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        401: "Not signed in.",
        403: f"A state-changing request without the {API_HEADER} header, or from another site.",
        404: "No such task, or not one the caller may see.",
        409: "The task is not in a state that allows this (already claimed, closed, "
        "or completed only through its form).",
        422: "The request body is missing or wrong; the message says what to change.",
    }
    return {str(code): _json(_ERROR, text[code]) for code in codes}


_TASK_ID = {
    "name": "task_id",
    "in": "path",
    "required": True,
    "description": "The human task's ID.",
    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID},
}
_CSRF_HEADER = {
    "name": API_HEADER,
    "in": "header",
    "required": True,
    "description": "Proves the request was made by script on this site (CSRF protection).",
    "schema": {"type": "string", "enum": [API_HEADER_VALUE]},
}


def _action(summary: str, description: str, extra_errors=(409,), body=None) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "description": description,
        "parameters": [_TASK_ID, _CSRF_HEADER],
        "responses": {
            "200": _json({"$ref": "#/components/schemas/Task"}, "The task as it now is."),
            **_errors(401, 403, 404, *extra_errors),
        },
    }
    if body is not None:
        operation["requestBody"] = body
    return {"post": operation}


def openapi_document() -> dict[str, Any]:
    nullable_string = {"type": "string", "nullable": True}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Oversight inbox API",
            "version": "1.0.0",
            "description": (
                "The signed-in person's human tasks (inbox items). Sign in through the web "
                "app; the session cookie authenticates API calls. The same access rules as "
                "the pages apply: anything the caller may not see is 404."
            ),
        },
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "oversight_session"}
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                },
                "Person": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                },
                "Task": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": [
                        "id",
                        "key",
                        "kind",
                        "label",
                        "title",
                        "status",
                        "due_on",
                        "overdue",
                        "assignee",
                        "candidate_role",
                        "claimed_at",
                        "reassignment",
                        "reassigned_reason",
                        "subject_staff_id",
                        "relationship_id",
                        "rule",
                        "rule_text",
                        "source",
                        "completes_by",
                        "links",
                    ],
                    "properties": {
                        "id": {"type": "integer"},
                        "key": {"type": "string", "description": "The obligation's stable key."},
                        "kind": {"type": "string"},
                        "label": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {
                            "type": "string",
                            "enum": ["open", "escalated", "completed", "cancelled"],
                        },
                        "due_on": {"type": "string", "format": "date"},
                        "overdue": {"type": "boolean"},
                        "assignee": {
                            "allOf": [{"$ref": "#/components/schemas/Person"}],
                            "nullable": True,
                            "description": "Null while a group task is unclaimed.",
                        },
                        "candidate_role": {
                            **nullable_string,
                            "description": "For a group task: the role it is offered to.",
                        },
                        "claimed_at": {**nullable_string, "format": "date-time"},
                        "reassignment": {
                            "type": "string",
                            "nullable": True,
                            "enum": ["cover", "delegated", None],
                        },
                        "reassigned_reason": nullable_string,
                        "subject_staff_id": {"type": "integer", "nullable": True},
                        "relationship_id": {"type": "integer", "nullable": True},
                        "rule": {"type": "string", "description": "The policy rule's ID."},
                        "rule_text": {"type": "string", "description": "Why the task exists."},
                        "source": {"type": "string", "description": "The policy's citation."},
                        "completes_by": {"type": "string", "enum": ["acknowledgement", "form"]},
                        "links": {
                            "type": "object",
                            "required": ["self", "page", "form"],
                            "properties": {
                                "self": {"type": "string"},
                                "page": {"type": "string"},
                                "form": nullable_string,
                            },
                        },
                    },
                },
            },
        },
        "security": [{"session": []}],
        "paths": {
            "/api/tasks": {
                "get": {
                    "summary": "List my open tasks and those offered to my group",
                    "description": "Soonest due first. The filters are the inbox page's.",
                    "parameters": [
                        {
                            "name": "kind",
                            "in": "query",
                            "schema": {"type": "array", "items": {"type": "string"}},
                            "style": "form",
                            "explode": True,
                        },
                        {
                            "name": "team",
                            "in": "query",
                            "schema": {"type": "array", "items": {"type": "integer"}},
                            "style": "form",
                            "explode": True,
                        },
                        {
                            "name": "due",
                            "in": "query",
                            "schema": {
                                "type": "string",
                                "enum": ["overdue", "week", "four_weeks", "later"],
                            },
                        },
                        {
                            "name": "status",
                            "in": "query",
                            "schema": {
                                "type": "array",
                                "items": {
                                    "type": "string",
                                    "enum": ["open", "escalated", "offered"],
                                },
                            },
                            "style": "form",
                            "explode": True,
                        },
                    ],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["tasks", "count"],
                                "properties": {
                                    "tasks": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Task"},
                                    },
                                    "count": {"type": "integer"},
                                },
                            },
                            "The tasks.",
                        ),
                        **_errors(401),
                    },
                }
            },
            "/api/tasks/{task_id}": {
                "get": {
                    "summary": "One task: mine, or offered to my group",
                    "parameters": [_TASK_ID],
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/Task"}, "The task."),
                        **_errors(401, 404),
                    },
                }
            },
            "/api/tasks/{task_id}/claim": _action(
                "Claim a task offered to my group",
                "It becomes mine and is no longer offered to others. Claiming my own "
                "claimed task again changes nothing.",
            ),
            "/api/tasks/{task_id}/release": _action(
                "Release a claimed task back to the group", "It is offered to the group again."
            ),
            "/api/tasks/{task_id}/complete": _action(
                "Complete a task whose completion is an acknowledgement",
                "Only for kinds completed by acknowledging them (an escalation). Any other "
                "kind closes itself when its form is done, and answers 409 with a link to it.",
            ),
            "/api/tasks/{task_id}/reassign": _action(
                "Give a task to a colleague, with a reason",
                "My own task (delegation), or, for a manager, a task of someone they manage.",
                extra_errors=(409, 422),
                body={
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["to_staff_id", "reason"],
                                "properties": {
                                    "to_staff_id": {
                                        "type": "integer",
                                        "description": "A colleague from /api/colleagues.",
                                    },
                                    "reason": {"type": "string", "maxLength": 1000},
                                },
                            }
                        }
                    },
                },
            ),
            "/api/colleagues": {
                "get": {
                    "summary": "Who a task can be given to",
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["colleagues"],
                                "properties": {
                                    "colleagues": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id", "name", "job_title"],
                                            "properties": {
                                                "id": {"type": "integer"},
                                                "name": {"type": "string"},
                                                "job_title": {"type": "string"},
                                            },
                                        },
                                    }
                                },
                            },
                            "Colleagues, by name.",
                        ),
                        **_errors(401),
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": {"description": "The OpenAPI document."}},
                }
            },
        },
    }
