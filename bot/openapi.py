"""The OpenAPI 3.0 description of /api (served at GET /api/openapi.json). Keep in step with bot/api.py."""
from __future__ import annotations

from typing import Any

from bot.cases import DIFFICULTIES, MANUAL_SOURCES, OUTCOMES, STATUSES
from bot.refs import CATEGORIES


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    """References to the shared error responses (components/responses)."""
    return {str(code): {"$ref": f"#/components/responses/{code}"} for code in codes}


_TICKET_ERRORS = (401, 404)
_ACTION_ERRORS = (401, 403, 404, 422)
_NULLABLE_STRING = {"type": "string", "nullable": True}
_NULLABLE_NUMBER = {"type": "number", "nullable": True}
_TIME = {"type": "string", "format": "date-time", "nullable": True}


def _ref_param() -> dict[str, Any]:
    return {"name": "ref", "in": "path", "required": True, "schema": {"type": "string"},
            "example": "QX-20261122-0007"}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _action(summary: str, body: dict[str, Any], status: str, result: str) -> dict[str, Any]:
    return {"post": {"summary": summary, "parameters": [_ref_param()], "requestBody": _body(body),
                     "responses": {status: _json(_ref(result), result), **_errors(*_ACTION_ERRORS)}}}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Union Desk (工会服务台) staff API", "version": "1.0",
             "description": "Cases of the caller's offices (admins: all). "
                            "Tokens: `python -m bot staff token USERNAME`."},
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}],
    "paths": {
        "/api/tickets": {
            "get": {
                "summary": "List cases, most urgent then oldest first",
                "parameters": [
                    _query("status", {"type": "string"}, f"comma-separated: {', '.join(STATUSES)}, or open"),
                    _query("category", {"type": "string", "enum": list(CATEGORIES)}, "case category"),
                    _query("office", {"type": "string"}, "office code (with its sub-offices)"),
                    _query("assignee", {"type": "string"}, "username, me or none"),
                    _query("overdue", {"type": "boolean"}, "past a time limit now"),
                    _query("group", {"type": "string"}, "true, false or a group id"),
                    _query("q", {"type": "string"}, "search ref, worker name, phone, employer"),
                    _query("page", {"type": "integer", "minimum": 1, "default": 1}, "page number"),
                    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}, "page size"),
                ],
                "responses": {"200": _json({"type": "object", "required": ["items", "total"], "properties": {
                    "items": {"type": "array", "items": _ref("Ticket")}, "total": {"type": "integer"}}}, "a page"),
                    **_errors(401, 422)},
            },
            "post": {
                "summary": "Record a case received outside WeChat (walk-in, phone, transferred from above)",
                "requestBody": _body(_ref("NewTicket")),
                "responses": {"201": _json(_ref("TicketFull"), "the new case"), **_errors(401, 403, 422)},
            },
        },
        "/api/tickets/{ref}": {
            "get": {"summary": "One case with its thread, attachments and history", "parameters": [_ref_param()],
                    "responses": {"200": _json(_ref("TicketFull"), "the case"), **_errors(*_TICKET_ERRORS)}},
        },
        "/api/tickets/{ref}/reply": _action(
            "Reply to the worker on WeChat (delivered by a background job)",
            {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "maxLength": 2000}}},
            "202", "Message"),
        "/api/tickets/{ref}/note": _action(
            "Add an internal note",
            {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "maxLength": 2000}}},
            "201", "Message"),
        "/api/tickets/{ref}/assign": _action(
            "Assign to an agent or admin who can see the case's office (null or \"none\": unassign)",
            {"type": "object", "required": ["assignee"], "properties": {"assignee": _NULLABLE_STRING}},
            "200", "Ticket"),
        "/api/tickets/{ref}/status": _action(
            "Change the status; resolved/closed need an outcome, referred needs referred_to",
            {"type": "object", "required": ["status"], "properties": {
                "status": {"type": "string", "enum": list(STATUSES)},
                "outcome": {"type": "string", "enum": list(OUTCOMES), "nullable": True},
                "amount_recovered": {"type": "number", "minimum": 0, "nullable": True},
                "aid_amount": {"type": "number", "minimum": 0, "nullable": True},
                "workers_covered": {"type": "integer", "minimum": 0, "nullable": True},
                "referred_to": _NULLABLE_STRING, "referred_ref": _NULLABLE_STRING}},
            "200", "Ticket"),
        "/api/tickets/{ref}/transfer": _action(
            "Transfer (转办) to another office up or down the tree",
            {"type": "object", "required": ["office", "reason"], "properties": {
                "office": {"type": "string", "description": "office code"}, "reason": {"type": "string"},
                "worker_agrees": {"type": "boolean", "description": "allow the employer's own union"}}},
            "200", "Ticket"),
        "/api/openapi.json": {
            "get": {"summary": "This document", "security": [],
                    "responses": {"200": _json({"type": "object"}, "OpenAPI 3.0 document")}},
        },
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "responses": {
            "401": _json(_ref("Error"), "no or invalid bearer token"),
            "403": _json(_ref("Error"), "the caller's role may not do this (viewers cannot act)"),
            "404": _json(_ref("Error"), "unknown case, or outside the caller's offices"),
            "422": _json(_ref("Invalid"), "invalid input; `field` names it"),
        },
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            "Invalid": {"type": "object", "required": ["error", "field", "message"], "properties": {
                "error": {"type": "string", "enum": ["invalid"]}, "field": {"type": "string"},
                "message": {"type": "string"}}},
            "Ticket": {"type": "object", "required": ["ref", "category", "status", "office", "created_at"],
                       "properties": {
                "ref": {"type": "string"}, "category": {"type": "string", "enum": list(CATEGORIES)},
                "status": {"type": "string"}, "priority": {"type": "integer", "description": "1 low .. 4 urgent"},
                "difficulty": {"type": "string", "enum": list(DIFFICULTIES)},
                "source": {"type": "string", "enum": ["wechat", *MANUAL_SOURCES]},
                "source_office": _NULLABLE_STRING, "source_ref": _NULLABLE_STRING,
                "office": {"type": "string", "description": "office code"}, "office_name": {"type": "string"},
                "assignee": {"type": "string", "nullable": True, "description": "username"},
                "worker_name": _NULLABLE_STRING,
                "phone": {"type": "string", "nullable": True, "example": "138****8000"},
                "employer": _NULLABLE_STRING,
                "fields": {"type": "object", "additionalProperties": True,
                           "description": "the case details; phone and id_number masked"},
                "group": {"type": "integer", "nullable": True}, "group_label": _NULLABLE_STRING,
                "created_at": {"type": "string", "format": "date-time"}, "updated_at": _TIME,
                "first_response_due": _TIME, "first_response_at": _TIME, "resolve_due": _TIME,
                "resolved_at": _TIME, "closed_at": _TIME,
                "overdue": {"type": "string", "enum": ["first_response", "resolve"], "nullable": True},
                "outcome": {"type": "string", "enum": list(OUTCOMES), "nullable": True},
                "amount_owed": _NULLABLE_NUMBER, "amount_recovered": _NULLABLE_NUMBER, "aid_amount": _NULLABLE_NUMBER,
                "workers_covered": {"type": "integer", "nullable": True},
                "referred_to": _NULLABLE_STRING, "referred_ref": _NULLABLE_STRING,
                "rating": {"type": "integer", "nullable": True}}},
            "TicketFull": {"allOf": [_ref("Ticket"), {"type": "object", "properties": {
                "messages": {"type": "array", "items": _ref("Message")},
                "attachments": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "msg_type": {"type": "string"}, "status": {"type": "string"},
                    "content_type": _NULLABLE_STRING, "size": {"type": "integer", "nullable": True},
                    "created_at": _TIME}}},
                "history": {"type": "array", "items": {"type": "object", "properties": {
                    "action": {"type": "string"}, "staff": _NULLABLE_STRING,
                    "detail": {"type": "object", "nullable": True}, "created_at": _TIME}}}}}]},
            "Message": {"type": "object", "required": ["id", "direction", "text", "created_at"], "properties": {
                "id": {"type": "integer"}, "direction": {"type": "string", "enum": ["in", "out", "note", "system"]},
                "text": {"type": "string", "description": "phone and ID numbers masked"},
                "staff": _NULLABLE_STRING, "created_at": _TIME,
                "delivery": {"type": "object", "nullable": True, "description": "out messages only", "properties": {
                    "status": {"type": "string", "enum": ["queued", "sent", "failed", "fallback_template"]},
                    "errcode": {"type": "integer", "nullable": True}}}}},
            "NewTicket": {"type": "object", "required": ["source", "category"], "properties": {
                "source": {"type": "string", "enum": list(MANUAL_SOURCES)},
                "category": {"type": "string", "enum": list(CATEGORIES)},
                "fields": {"type": "object", "additionalProperties": True,
                           "description": "name, phone, id_number, employer, amount_owed, description ..."},
                "source_office": {"type": "string", "description": "required for transferred_in"},
                "source_ref": _NULLABLE_STRING,
                "office": {"type": "string", "description": "office code; default: the caller's office"}}},
        },
    },
}
