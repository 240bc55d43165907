"""Submit: the completeness check, the submission form (modal or page), and the step after it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from connectors import selectors, services
from connectors.errors import ConnectorLocked, IncompleteConnector, InvalidSubmission
from connectors.forms import SubmissionForm
from connectors.last_check import failed_check_errors
from connectors.models import Visibility
from portal.errors import PortalError


def _refuse_if_open(request, connector):
    open_submission = selectors.open_submission(connector)
    if open_submission is None:
        return None
    messages.error(
        request,
        f"Version {open_submission.number} of {connector.name} is already "
        f"{open_submission.get_state_display().lower()}; follow it in the status window, or withdraw it "
        "there to submit a new version.",
    )
    return redirect("connectors:edit", pk=connector.pk)


def _page(request, connector, form=None, missing=None, status=200):
    if missing is None:
        missing = services.connector_missing_parts(connector)
    return render(request, "connectors/submit.html", {
        "connector": connector,
        "missing": missing,
        "form": form or (SubmissionForm(connector=connector, failed_check_errors=failed_check_errors(request, connector))
                         if not missing else None),
    }, status=status)


@login_required
@require_GET
def submit(request, pk):
    """The missing parts, or the submission form as a page (the modal's no-JavaScript twin)."""
    connector = selectors.connector_get_for_user(request.user, pk)
    return _refuse_if_open(request, connector) or _page(request, connector)


@login_required
@require_POST
def submit_confirm(request, pk):
    """Continue Submission."""
    connector = selectors.connector_get_for_user(request.user, pk)
    refused = _refuse_if_open(request, connector)
    if refused:
        return refused
    form = SubmissionForm(request.POST, connector=connector)
    if not form.is_valid():
        return _page(request, connector, form=form)
    try:
        submission = services.connector_submit(
            connector=connector,
            user=request.user,
            visibility=form.cleaned_data["visibility"],
            instructions=form.cleaned_data["instructions"],
            release_notes=form.cleaned_data["release_notes"],
        )
    except IncompleteConnector as error:
        return _page(request, connector, missing=error.missing)
    except InvalidSubmission as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _page(request, connector, form=form)
    except ConnectorLocked as error:
        messages.error(request, error.message)
        return redirect("connectors:edit", pk=connector.pk)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("connectors:submit", pk=connector.pk)
    return redirect("connectors:submitted", pk=submission.pk)


@login_required
@require_GET
def submitted(request, pk):
    """After Continue Submission: the confirmation (public) or the self-publish step (company)."""
    submission = selectors.submission_get_for_user(request.user, pk)
    return render(request, "connectors/submitted.html", {
        "submission": submission,
        "connector": submission.connector,
        "is_company": submission.visibility == Visibility.COMPANY,
        "blockers": submission.self_publish_blockers(),
        **selectors.submission_terms(),
    })
