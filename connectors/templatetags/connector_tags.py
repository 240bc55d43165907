"""Template helpers for the developer pages."""

from __future__ import annotations

from django import template

from connectors import review_links
from connectors.models import BetaState, ReviewState

register = template.Library()


@register.filter
def review_link(pk, name: str) -> str:
    """`{{ submission.pk|review_link:"status" }}`: the review's page, "" without review (connectors/review_links.py)."""
    return review_links.link(name, pk) or ""

_BADGE = {
    ReviewState.DRAFT: "text-bg-secondary",
    ReviewState.SUBMITTED: "text-bg-info",
    ReviewState.IN_REVIEW: "text-bg-primary",
    ReviewState.APPROVED: "text-bg-success",
    ReviewState.CHANGES_REQUESTED: "text-bg-warning",
    ReviewState.WITHDRAWN: "text-bg-light border",
    ReviewState.TAKEN_DOWN: "text-bg-danger",
    ReviewState.UNPUBLISHED: "text-bg-dark",
    ReviewState.ROLLED_BACK: "text-bg-secondary",
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


@register.filter
def field_label(field_key: str) -> str:
    """The editor's name for the part a MissingPart.field points at, from the one glossary
    (connectors.glossary): people read labels; the JSON paths stay in the API for pipelines."""
    from connectors.glossary import part_name

    return part_name(field_key)


@register.filter
def state_in_a_sentence(state: str) -> str:
    """"this submission is {{ state|state_in_a_sentence }}" (connectors.labels)."""
    from connectors.labels import STATE_IN_A_SENTENCE

    return STATE_IN_A_SENTENCE.get(state, state)
