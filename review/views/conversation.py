"""The developers' side of a submission's conversation: answer the reviewers' questions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from connectors import selectors
from portal.errors import PortalError
from review.conversation import message_post


@login_required
@require_POST
def answer(request, pk):
    submission = selectors.submission_get_for_user(request.user, pk)  # another company: 404
    try:
        message_post(submission=submission, user=request.user, body=request.POST.get("body", ""))
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your answer was sent to the reviewers.")
    return redirect(reverse("submissions:status", args=[submission.pk]) + "#conversation")
