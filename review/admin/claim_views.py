"""Who has a review, on the engineers' pages: assign, unassign, and the guard on each action.

The submission page's forms carry the review token they were drawn with; an action goes
through review.claims.act, which refuses it when the review changed since, and asks for a
confirmation when the review is another engineer's. The confirmation is a page of its own
(the admin's way, like "Are you sure?" before a delete), so it holds without JavaScript:
it posts the same fields again, plus the engineer it confirms for.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from connectors.models import Submission
from portal.errors import PortalError
from review import claims

TOKEN_FIELD = "review_token"
CONFIRM_FIELD = "confirm_assignee"
# What the engineer typed, repeated in a refusal so that nothing written is lost.
TYPED_FIELDS = ("note", "reason", "body")


def _change_url(model_admin, submission, anchor: str = "") -> str:
    opts = model_admin.opts
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[submission.pk]) + anchor


def guarded(model_admin, request, submission: Submission, *, what: str, done, action, anchor: str = "", check_token: bool = True):
    """Run a service call of the submission page through review.claims.act.

    `what` names the action for the confirmation ("approve it"); `done` is the success
    message, or a function of the action's result that returns it.
    """
    try:
        result = claims.act(
            submission=submission,
            engineer=request.user,
            action=action,
            check_token=check_token,
            token=request.POST.get(TOKEN_FIELD),
            confirmed_for=request.POST.get(CONFIRM_FIELD),
        )
    except claims.ConfirmationNeeded as asked:
        return confirm_page(model_admin, request, submission, asked, what)
    except PortalError as refused:
        refuse(model_admin, request, refused.message)
    else:
        model_admin.message_user(request, done(result) if callable(done) else done, messages.SUCCESS)
    return redirect(_change_url(model_admin, submission, anchor))


def refuse(model_admin, request, message: str) -> None:
    """The refusal as an error message, with what was typed given back: whatever refused it
    (a page out of date, a text too long, a choice missing), nothing written is lost."""
    typed = [request.POST[name].strip() for name in TYPED_FIELDS if request.POST.get(name, "").strip()]
    if typed:
        message += f" What you wrote, not sent: “{' / '.join(typed)}”"
    model_admin.message_user(request, message, messages.ERROR)


def confirm_page(model_admin, request, submission: Submission, asked: claims.ConfirmationNeeded, what: str):
    # Every field as it was posted (the decision button's value included), except the two the page adds.
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        for value in values
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "submission": submission,
        "title": f"{submission} is assigned to {claims.engineer_name(asked.assignee)}",
        "message": asked.message,
        "assignee": asked.assignee,
        "assignee_name": claims.engineer_name(asked.assignee),
        "what": what,
        "typed": [request.POST[name].strip() for name in TYPED_FIELDS if request.POST.get(name, "").strip()],
        "fields": fields,
        "confirm_field": CONFIRM_FIELD,
        "action_url": request.path,
        "back_url": _change_url(model_admin, submission),
    }
    return TemplateResponse(request, "admin/review/submission/confirm_action.html", context)


# --- assigning ---------------------------------------------------------------------------


def assign_view(model_admin, request, submission: Submission):
    """To oneself ("Assign to me"), or to the engineer chosen in the form (reassign). Taking
    a colleague's review is confirmed like any other action on it."""
    assignee = None
    chosen = request.POST.get("assignee", "").strip()
    if chosen:
        assignee = claims.engineers().filter(pk=chosen if chosen.isdigit() else None).first()
        if assignee is None:
            model_admin.message_user(request, "Choose one of the review engineers to assign it to.", messages.ERROR)
            return redirect(_change_url(model_admin, submission))
    to = "you" if assignee in (None, request.user) else claims.engineer_name(assignee)
    return guarded(
        model_admin,
        request,
        submission,
        check_token=False,
        what="take it over" if to == "you" else f"give it to {to}",
        action=lambda: claims.submission_assign(submission=submission, engineer=request.user, assignee=assignee),
        done=lambda done: f"{done} is assigned to {claims.engineer_name(done.assigned_to)}.",
    )


def unassign_view(model_admin, request, submission: Submission):
    return guarded(
        model_admin,
        request,
        submission,
        check_token=False,
        what="unassign it",
        action=lambda: claims.submission_unassign(submission=submission, engineer=request.user),
        done=f"{submission} is unassigned.",
    )


def claim_context(request, submission: Submission) -> dict:
    """The page's token and its Assigned-to box."""
    assignee = submission.assigned_to
    return {
        "review_token": claims.review_token(submission),
        "assignee": assignee,
        "assignee_name": claims.engineer_name(assignee) if assignee else "",
        "assigned_to_me": assignee is not None and assignee.pk == request.user.pk,
        "other_engineers": [u for u in claims.engineers() if u.pk != submission.assigned_to_id],
    }


def bulk_assign(model_admin, request, queryset, *, to_me: bool) -> None:
    """The queue's actions: assign the selected submissions to me, or unassign them."""
    done, refused = [], []
    for submission in queryset:
        try:
            if to_me and submission.assigned_to_id not in (None, request.user.pk):
                # Taking a review from a colleague is done on its page, one at a time, on purpose.
                raise claims.ClaimRefused(
                    f"{submission} is {claims.engineer_name(submission.assigned_to)}'s; "
                    "reassign it from its page if you mean to take it over."
                )
            if to_me:
                claims.submission_assign(submission=submission, engineer=request.user)
            else:
                claims.submission_unassign(submission=submission, engineer=request.user)
        except PortalError as error:
            refused.append(error.message)
        else:
            done.append(str(submission))
    if done:
        verb = "Assigned to you" if to_me else "Unassigned"
        model_admin.message_user(request, f"{verb}: {', '.join(done)}.", messages.SUCCESS)
    for message in refused:
        model_admin.message_user(request, message, messages.WARNING)
