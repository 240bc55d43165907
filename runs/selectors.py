"""Reads of live runs, scoped to their user: another user's run answers 404."""

from django.http import Http404

from runs.models import LiveRun, SavedAccount


def run_get_for_user(user, pk) -> LiveRun:
    try:
        return LiveRun.objects.select_related("submission", "submission__connector").get(pk=pk, user=user)
    except (LiveRun.DoesNotExist, ValueError):
        raise Http404("No such run.") from None


def runs_for_user(user):
    return LiveRun.objects.filter(user=user).select_related("submission", "submission__connector")


def runs_of_version_for_user(user, submission):
    return runs_for_user(user).filter(submission=submission)[:10]


def saved_accounts_for(user, connector):
    return SavedAccount.objects.filter(owner=user, connector=connector)


def saved_account_values(user, pk) -> dict:
    import json

    try:
        return json.loads(SavedAccount.objects.get(owner=user, pk=pk).values)
    except (SavedAccount.DoesNotExist, ValueError):
        raise Http404("No such saved account.") from None
