"""The connector editor: every part of the draft and the bundle upload that replaces it.

(Check now is the review's: the page loads its last result from review.views.check.)
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from connectors import editor_findings, selectors, services
from connectors.editor_forms import ConnectorEditor
from connectors.errors import ConnectorLocked, DuplicateName
from connectors.forms import BundleUploadForm, SubmissionForm
from connectors.last_check import failed_check_errors
from connectors.views.develop import bundle_error_message, report_import
from portal.errors import PortalError


def editor_context(request, connector, editor=None) -> dict:
    """What the editor page shows; shared by the GET, a failed save and a failed submit."""
    open_submission = selectors.open_submission(connector)
    locked = open_submission is not None
    if editor is None:
        editor = ConnectorEditor(connector, disabled=locked)
    missing = [] if locked else services.connector_missing_parts(connector)
    latest = open_submission or selectors.latest_submission(connector)
    return {
        "connector": connector,
        "editor": editor,
        # A form shown again after a refused save holds what the developer typed, not the draft.
        "unsaved": editor.form.is_bound,
        "locked": locked,
        "locked_reason": services.connector_locked_message(connector, open_submission) if locked else "",
        "open_submission": open_submission,
        "latest_submission": latest,
        "review_feedback": None if locked else editor_findings.review_feedback(latest),
        "missing": missing,
        "submission_form": SubmissionForm(connector=connector, failed_check_errors=failed_check_errors(request, connector))
        if not locked and not missing else None,
        "upload_form": BundleUploadForm(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    connector = selectors.connector_get_for_user(request.user, pk)
    # Once for the page: the form, the completeness check and Check now's source lines
    # each read every file of the draft.
    prefetch_related_objects([connector], "files")
    if request.method == "GET":
        return render(request, "connectors/editor.html", editor_context(request, connector))

    open_submission = selectors.open_submission(connector)
    if open_submission is not None:
        messages.error(request, services.connector_locked_message(connector, open_submission))
        return redirect("connectors:edit", pk=connector.pk)
    editor = ConnectorEditor(connector, request.POST, request.FILES)
    if not editor.is_valid():
        messages.error(request, "Nothing was saved: correct the fields marked below.")
        return render(request, "connectors/editor.html", editor_context(request, connector, editor), status=200)
    fields, files = editor.changes()
    try:
        services.connector_update(connector=connector, user=request.user, files=files, **fields)
    except ConnectorLocked as error:
        messages.error(request, error.message)
        return redirect("connectors:edit", pk=connector.pk)
    except DuplicateName as error:
        editor.form.add_error("name", error.message)
        messages.error(request, "Nothing was saved: correct the fields marked below.")
        return render(request, "connectors/editor.html", editor_context(request, connector, editor))
    except PortalError as error:
        messages.error(request, error.message)
        return render(request, "connectors/editor.html", editor_context(request, connector, editor))
    except ValidationError as error:  # the model's full_clean: a value the form let through
        for field, problems in error.message_dict.items():
            for problem in problems:
                editor.form.add_error(field if field in editor.form.fields else None, problem)
        messages.error(request, "Nothing was saved: correct the fields marked below.")
        return render(request, "connectors/editor.html", editor_context(request, connector, editor))
    messages.success(request, f"{fields['name']} was saved.")
    return redirect(_after_save(connector, request.POST.get("then", "")))


# "Save and continue" from the unsaved-changes dialog: the page it lands on carries on
# with what the developer had clicked (static/js/portal.js reads ?then=).
THEN_ACTIONS = ("check", "submit")


def _after_save(connector, then: str) -> str:
    url = reverse("connectors:edit", kwargs={"pk": connector.pk})
    return f"{url}?then={then}" if then in THEN_ACTIONS else url


@login_required
@require_POST
def replace_bundle(request, pk):
    connector = selectors.connector_get_for_user(request.user, pk)
    form = BundleUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.upload_errors():
            messages.error(request, error)
        return redirect("connectors:edit", pk=connector.pk)
    try:
        connector = services.connector_replace_bundle(connector=connector, user=request.user, source=form.source)
    except ConnectorLocked as error:
        messages.error(request, error.message)
    except PortalError as error:
        messages.error(request, bundle_error_message(form.label, error) + " The connector was not changed.")
    else:
        report_import(request, f"{form.label} replaced the connector's draft", connector)
    return redirect("connectors:edit", pk=connector.pk)


@login_required
@require_POST
def delete(request, pk):
    connector = selectors.connector_get_for_user(request.user, pk)
    try:
        name = services.connector_delete(connector=connector, user=request.user)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("connectors:edit", pk=connector.pk)
    messages.success(request, f"{name} was deleted.")
    return redirect("connectors:develop")
