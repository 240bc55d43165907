"""The developers' side of a submission's conversation: answer the reviewers' questions,
contest a decision (review.contests)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from connectors import selectors
from portal.errors import PortalError
from review import kept_text
from review.contests import contest_open
from review.conversation import message_post


@login_required
@require_POST
def answer(request, pk):
    submission = selectors.submission_get_for_user(request.user, pk)  # another company: 404
    body = request.POST.get("body", "")
    try:
        message_post(submission=submission, user=request.user, body=body)
    except PortalError as error:
        messages.error(request, error.message)
        kept_text.keep(request, submission.pk, "answer", body)  # back in the form, not lost
    else:
        messages.success(request, "Your answer was sent to the reviewers.")
    return redirect(reverse("review:status", args=[submission.pk]) + "#conversation")


@login_required
@require_POST
def contest(request, pk):
    submission = selectors.submission_get_for_user(request.user, pk)  # another company: 404
    body = request.POST.get("body", "")
    try:
        contest_open(submission=submission, user=request.user, body=body)
    except PortalError as error:
        messages.error(request, error.message)
        kept_text.keep(request, submission.pk, "contest", body)
    else:
        messages.success(request, "Your contest was sent to the reviewers; their answer closes it.")
    return redirect(reverse("review:status", args=[submission.pk]) + "#conversation")
