"""The standard reasons an engineer gives for "Request changes" and for a take-down.

One list of data, read by both forms (the admin's), the emails, the editor's "What to
fix" and the review rules page they link to (connectors.views.rules_page). The first four are
Domo's four policies (domain.md); the others name one rule of the review each. `rules`
are ids of the contract's rule table (docs/bundle-format.md, review.engine.rules):
tests/connectors/test_standard_reasons.py fails when one is not a rule the review runs.

A reason's id is stored on the history row (SubmissionEvent.reasons), so an id is never
renamed or reused; its words may be improved.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

REQUEST_CHANGES = "request_changes"
TAKE_DOWN = "take_down"


@dataclass(frozen=True)
class Reason:
    id: str
    title: str
    text: str  # what the developers read: what is wrong and what to do instead
    rules: tuple[str, ...]
    policy: bool = False  # one of Domo's four policies
    used_for: tuple[str, ...] = (REQUEST_CHANGES, TAKE_DOWN)

    @property
    def url(self) -> str:
        return reverse("connectors:review_rules") + f"#{self.id}"


REASONS: tuple[Reason, ...] = (
    Reason("no-xmlhttprequest", "Uses XMLHttpRequest",
           "Connectors may not use XMLHttpRequest, fetch or ActiveXObject. Make every request with "
           "httprequest.get() / httprequest.post(), the only way the Data Center runs them.",
           ("no-xmlhttprequest",), policy=True),
    Reason("no-minified-code", "Minified or obfuscated code",
           "The scripts must be readable source: no minified, packed or obfuscated code, and no code run "
           "from a string. Submit the code as you wrote it.",
           ("minified-code", "dynamic-code"), policy=True),
    Reason("no-hardcoded-credentials", "Hard-coded credentials",
           "A credential is written into the code. Read every key, token and password from "
           "metadata.account (the account the user connects), never from a literal, and never log it.",
           ("hardcoded-credential", "credential-logging", "credential-spread"), policy=True),
    Reason("no-external-data", "Data sent to an external API",
           "The connector sends data or credentials to a host other than its API's. Call only the hosts "
           "declared in the connector and send the API's data nowhere else.",
           ("external-request", "data-exfiltration", "data-forwarding"), policy=True),
    Reason("runtime-error", "It fails when it runs",
           "A script throws, or the authentication never reports success or failure, with the sample "
           "account and responses. Fix the error and check it with Check now.",
           ("runtime-error", "auth-result-missing", "row-shape"), used_for=(REQUEST_CHANGES,)),
    Reason("too-slow", "Too slow",
           "A report projects fewer than 1,000 records per 5 minutes. Ask the API for larger pages or fewer "
           "round trips.",
           ("too-slow", "performance-unmeasured"), used_for=(REQUEST_CHANGES,)),
    Reason("incomplete", "Something required is missing",
           "A required part is missing or invalid (description, reports, icons, OAuth details). The editor's "
           "checklist names it.",
           ("missing-field",), used_for=(REQUEST_CHANGES,)),
    Reason("tampering", "Tampers with the sandbox",
           "A script replaces or redefines what the sandbox provides. Connectors may add a missing method "
           "(a polyfill), never change the ones given.",
           ("sandbox-tampering",)),
)

BY_ID: dict[str, Reason] = {reason.id: reason for reason in REASONS}


def choices_for(decision: str) -> list[Reason]:
    """The reasons the form of `decision` (REQUEST_CHANGES or TAKE_DOWN) offers, policies first."""
    return [reason for reason in REASONS if decision in reason.used_for]


def clean(ids, decision: str) -> list[str]:
    """The chosen ids, known and offered for `decision`, in the list's order, once each.

    Raises ValueError naming the first unknown id (a form built from this list never sends one)."""
    ids = [str(i).strip() for i in ids or () if str(i).strip()]
    offered = {reason.id for reason in choices_for(decision)}
    for chosen in ids:
        if chosen not in offered:
            raise ValueError(chosen)
    return [reason.id for reason in REASONS if reason.id in ids]


def described(ids) -> list[Reason]:
    """The Reason of each stored id; an id no longer in the list is left out rather than failing a page."""
    return [BY_ID[i] for i in ids or () if i in BY_ID]
