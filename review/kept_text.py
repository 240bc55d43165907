"""What a developer typed into the status window's answer or contest form, kept when the
post was refused (empty, too long, the review moved on) and given back once.

The post redirects to the status window, whose content is a cached part shared by every
member of the company (portal.fragments): the text must never be rendered into it. It
waits in the poster's own session, keyed by submission and form, and the next full page
of that submission takes it out (review.views.status renders that one page uncached).
"""

from __future__ import annotations

FORMS = ("answer", "contest")
# Far above the forms' limit (review.conversation.MAX_BODY), so a too-long text comes back
# whole; a paste past this is not a message anyone meant to send.
MAX_KEPT_CHARS = 50_000


def _key(submission_id: int) -> str:
    return f"kept-text:{submission_id}"


def keep(request, submission_id: int, form: str, text: str) -> None:
    if form not in FORMS or not text.strip():
        return
    kept = dict(request.session.get(_key(submission_id), {}))
    kept[form] = text[:MAX_KEPT_CHARS]
    request.session[_key(submission_id)] = kept


def take(request, submission_id: int) -> dict[str, str]:
    """The texts kept for this submission ({form: text}), removed from the session: shown once."""
    if _key(submission_id) not in request.session:  # no write to the session on every page
        return {}
    return request.session.pop(_key(submission_id), {}) or {}
