"""Template helpers for the developer pages."""

from __future__ import annotations

from django import template

from connectors.models import BetaState, ReviewState

register = template.Library()

_BADGE = {
    ReviewState.DRAFT: "text-bg-secondary",
    ReviewState.SUBMITTED: "text-bg-info",
    ReviewState.IN_REVIEW: "text-bg-primary",
    ReviewState.APPROVED: "text-bg-success",
    ReviewState.CHANGES_REQUESTED: "text-bg-warning",
    ReviewState.WITHDRAWN: "text-bg-light border",
}
_BETA_BADGE = {
    BetaState.ACTIVE: "text-bg-success",
    BetaState.EXPIRED: "text-bg-dark",
    BetaState.CLOSED: "text-bg-light border",
}


@register.filter
def state_badge_class(state) -> str:
    return _BADGE.get(state or ReviewState.DRAFT, "text-bg-secondary")


@register.filter
def state_label(state) -> str:
    try:
        return ReviewState(state or ReviewState.DRAFT).label
    except ValueError:
        return str(state)


@register.filter
def beta_badge_class(beta_state) -> str:
    return _BETA_BADGE.get(beta_state, "")


@register.filter
def beta_label(beta_state) -> str:
    try:
        return BetaState(beta_state).label
    except ValueError:
        return str(beta_state)


@register.filter
def field_anchor(field_key: str) -> str:
    """The id of the editor element a MissingPart.field points at.

    "parameters[0].discovery.script" -> "field-parameters-0-discovery-script"
    """
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in field_key)
    return "field-" + "-".join(part for part in cleaned.split("-") if part)


_FIELD_LABELS = {
    "name": "Name",
    "description": "Description",
    "hosts": "Hosts",
    "reports": "Reports",
    "scripts.authentication": "Authentication script",
    "scripts.processdata": "Process data script",
    "auth.oauth2.client_id": "OAuth 2.0 client ID",
    "auth.oauth2.authorization_url": "OAuth 2.0 authorization URL",
    "auth.oauth2.access_token_url": "OAuth 2.0 access token URL",
    "auth.oauth2.token_method": "OAuth 2.0 token method",
}


@register.filter
def field_label(field_key: str) -> str:
    """The editor's name for the field a MissingPart.field points at (people read labels;
    the JSON paths stay in the API for pipelines)."""
    if field_key in _FIELD_LABELS:
        return _FIELD_LABELS[field_key]
    if field_key.startswith("parameters["):
        number = field_key[len("parameters["):].split("]", 1)[0]
        return f"Parameter {int(number) + 1}" if number.isdigit() else "Parameters"
    if field_key.startswith("icons."):
        return field_key[len("icons."):].replace("_", " ").capitalize()
    return field_key.split(".")[-1].replace("_", " ").capitalize()
