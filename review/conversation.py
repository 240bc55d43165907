"""A submission's conversation: reviewers ask, the connector's developers answer.

Writes (message_post) and reads (messages_for) in one small module beside services.py.
Each message is also a history row (a milestone of connectors.transitions), which is
what sends the email to the other side through the one announce path.
"""

from __future__ import annotations

from django.db import transaction

from connectors import services as connector_services
from connectors.models import ReviewState, Submission
from connectors.selectors import user_is_member
from portal.errors import PortalError
from portal.permissions import user_is_review_engineer
from review.models import Message

MAX_BODY = 5000
ASKED = "reviewer_asked"
ANSWERED = "developer_answered"


@transaction.atomic
def message_post(*, submission: Submission, user, body: str) -> Message:
    """A reviewer's question, or a developer's answer once there is a question to answer.

    Nobody else may write: not another company's members, not an anonymous user.
    """
    body = (body or "").strip()
    if not body:
        raise PortalError("Write the message first: it is empty.")
    if len(body) > MAX_BODY:
        raise PortalError(f"The message is {len(body):,} characters; keep it to {MAX_BODY:,} or fewer.")
    submission = connector_services.lock_version(submission.pk, "connector__company")
    if submission.state == ReviewState.DRAFT:
        raise PortalError("This version was never submitted, so there is no review to talk about.")
    if user_is_review_engineer(user):
        from_engineer = True
    elif user_is_member(user, submission.connector.company):
        if not submission.messages.filter(from_engineer=True).exists():
            raise PortalError("The reviewers have not asked anything yet; answers go under their questions.")
        from_engineer = False
    else:
        raise PortalError("Only the connector's company and the review engineers take part in this conversation.")
    message = Message.objects.create(
        submission=submission, author=user, author_name=user.get_username(), from_engineer=from_engineer, body=body
    )
    connector_services.submission_record_milestone(
        submission=submission, name=ASKED if from_engineer else ANSWERED, actor=user, reason=body
    )
    return message


def messages_for(submission: Submission) -> list[Message]:
    """The conversation in order. Callers fetched `submission` through a tenant-scoped
    selector (developers) or are review engineers (the admin)."""
    return list(submission.messages.all())


def may_answer(submission: Submission, messages: list[Message]) -> bool:
    return any(m.from_engineer for m in messages)
