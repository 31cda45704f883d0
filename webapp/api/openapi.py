"""The OpenAPI 3.0 document for the inbox API, written by hand so each
route's meaning, its errors and the CSRF header are described in words."""

from __future__ import annotations

from typing import Any

from webapp.database import MAX_ID

API_HEADER = "X-Requested-With"
API_HEADER_VALUE = "XMLHttpRequest"

_ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "A malformed query argument; the message says what to change.",
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
MAX_PAGE_SIZE = 100  # the most items one page of a list holds
_PAGING = [
    {
        "name": "cursor",
        "in": "query",
        "description": "Where a page starts: copy it from links.next or links.previous of the "
        "previous response; leave it out for the first page. Anything else is 400.",
        "schema": {"type": "string", "maxLength": 400},
    },
    {
        "name": "page_size",
        "in": "query",
        "description": f"How many items a page holds (1 to {MAX_PAGE_SIZE}).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    },
]
_LINK = {"type": "string", "nullable": True}
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


# The counts at the top of the inbox.
_INBOX_COUNTS: dict[str, Any] = {
    "type": "object",
    "description": "The whole inbox, whatever the filters: computed by the "
    "database, not by loading the tasks.",
    "required": ["total", "overdue", "due_this_week", "later", "offered"],
    "properties": {
        "total": {"type": "integer", "minimum": 0},
        "overdue": {"type": "integer", "minimum": 0},
        "due_this_week": {
            "type": "integer",
            "minimum": 0,
            "description": "Due today or in the 6 days after.",
        },
        "later": {"type": "integer", "minimum": 0},
        "offered": {
            "type": "integer",
            "minimum": 0,
            "description": "Of the total, group tasks nobody has claimed.",
        },
    },
}

# GET /api/tasks: a page of my inbox, its counts and its links.
_LIST_TASKS: dict[str, Any] = {
    "get": {
        "summary": "List my open tasks and those offered to my group",
        "description": (
            "One page, soonest due first (by due date, then ID). The filters are "
            "the inbox page's; the links keep them. `count` is how many tasks the "
            "filters keep across all pages; `counts` describe the whole inbox."
        ),
        "parameters": [
            *_PAGING,
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
                    "required": ["tasks", "count", "counts", "page_size", "links"],
                    "properties": {
                        "tasks": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Task"},
                        },
                        "count": {"type": "integer", "minimum": 0},
                        "counts": {"$ref": "#/components/schemas/InboxCounts"},
                        "page_size": {"type": "integer"},
                        "links": {
                            "type": "object",
                            "required": ["next", "previous"],
                            "properties": {
                                "next": {
                                    **_LINK,
                                    "description": "The next page; null on the last.",
                                },
                                "previous": {
                                    **_LINK,
                                    "description": "The page before; null on the first.",
                                },
                            },
                        },
                    },
                },
                "A page of tasks, the counts, and the links to the pages either side.",
            ),
            **_errors(400, 401),
        },
    }
}

# GET /api/colleagues: a page of who a task can be given to.
_ONE_TASK = "A task the caller holds or may reassign; any other is a 404."
_LIST_COLLEAGUES: dict[str, Any] = {
    "get": {
        "summary": "Who a task can be given to",
        "description": "Who may take any of the caller's open tasks or, with `task_id`, that "
        "task (anyone else is refused): one page, by name; `count` is how many in all.",
        "parameters": [
            *_PAGING,
            {**_TASK_ID, "in": "query", "required": False, "description": _ONE_TASK},
        ],
        "responses": {
            "200": _json(
                {
                    "type": "object",
                    "required": ["colleagues", "count", "page_size", "links"],
                    "properties": {
                        "count": {"type": "integer", "minimum": 0},
                        "page_size": {"type": "integer"},
                        "links": {
                            "type": "object",
                            "required": ["next"],
                            "properties": {"next": _LINK},
                        },
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
                        },
                    },
                },
                "A page of colleagues, by name.",
            ),
            **_errors(400, 401, 404),
        },
    }
}


_NULLABLE_STRING = {"type": "string", "nullable": True}
_TASK = {
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
            **_NULLABLE_STRING,
            "description": "For a group task: the role it is offered to.",
        },
        "claimed_at": {**_NULLABLE_STRING, "format": "date-time"},
        "reassignment": {
            "type": "string",
            "nullable": True,
            "enum": ["cover", "delegated", None],
        },
        "reassigned_reason": _NULLABLE_STRING,
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
                "form": _NULLABLE_STRING,
            },
        },
    },
}


_PATHS = {
    "/api/tasks": _LIST_TASKS,
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
                                "description": "One of /api/colleagues for this task_id.",
                            },
                            "reason": {"type": "string", "maxLength": 1000},
                        },
                    }
                }
            },
        },
    ),
    "/api/colleagues": _LIST_COLLEAGUES,
    "/api/openapi.json": {
        "get": {
            "summary": "This document",
            "security": [],
            "responses": {"200": {"description": "The OpenAPI document."}},
        }
    },
}


def openapi_document() -> dict[str, Any]:
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
                "InboxCounts": _INBOX_COUNTS,
                "Task": _TASK,
            },
        },
        "security": [{"session": []}],
        "paths": _PATHS,
    }
