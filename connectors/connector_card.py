"""What the connector card shows (templates/submissions/_connector_card.html).

Built from the submission's snapshot, not the editable connector: a beta or an approved
version must show what was submitted, even after the developer edits the draft. Codes
from connector.json become the words the editor uses ("Username and password").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from connectors.labels import PARAMETER_TYPE_LABELS
from connectors.models import AuthMethod, Submission


@dataclass(frozen=True)
class CardParameter:
    name: str
    type_label: str
    required: bool
    help: str


@dataclass(frozen=True)
class ConnectorCard:
    submission_pk: int
    name: str
    description: str
    company: str
    version: int
    auth_label: str
    reports: list[str] = field(default_factory=list)
    parameters: list[CardParameter] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)


def _label(choices, value, default: str) -> str:
    try:
        return choices(value).label
    except ValueError:
        # A code this portal does not know yet: show it rather than hide it.
        return str(value) if value else default


def connector_card(submission: Submission) -> ConnectorCard:
    manifest = submission.manifest or {}
    connector = submission.connector
    auth = manifest.get("auth") or {}
    return ConnectorCard(
        submission_pk=submission.pk,
        name=manifest.get("name") or connector.name,
        description=manifest.get("description") or connector.description,
        company=connector.company.name,
        version=submission.number,
        auth_label=_label(AuthMethod, auth.get("method") or AuthMethod.NONE, AuthMethod.NONE.label),
        reports=[str(r) for r in manifest.get("reports") or []],
        parameters=[
            CardParameter(
                name=str(p.get("name", "")),
                type_label=PARAMETER_TYPE_LABELS.get(p.get("type"), str(p.get("type", ""))),
                required=bool(p.get("required")),
                help=str(p.get("help") or ""),
            )
            for p in manifest.get("parameters") or []
        ],
        hosts=[str(h) for h in manifest.get("hosts") or []],
    )
