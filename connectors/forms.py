"""Forms of the developer pages. They validate and normalise; the services write.

The connector editor's forms are in connectors/editor_forms.py.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from connectors.bundle import MAX_FILES, UploadedFolder
from connectors.bundle.limits import MAX_ENTRIES
from connectors.models import Connector, Visibility
from connectors.selectors import previous_submission_choices, submission_terms
from portal import safe_input
from portal.safe_input import one_line_fields

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


# --- Develop page -----------------------------------------------------------------


@one_line_fields
class NewConnectorForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name",
                           error_messages={"required": "Give the new connector a name (1 to 100 characters).",
                                           "max_length": "Give the new connector a name of 1 to 100 characters."},
                           widget=forms.TextInput(attrs={"placeholder": "My connector"}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FolderField(forms.Field):
    """The files of a chosen folder, as a list; empty files are fine in a bundle."""

    widget = MultipleFileInput

    def clean(self, value):
        return [item for item in value or [] if item is not None]


# A folder's name is only shown back in messages; anything odd is not echoed.
_FOLDER_NAME = re.compile(r"[^/\\\x00-\x1f\x7f]{1,100}")


class BundleUploadForm(forms.Form):
    """A bundle .zip, or a folder (ours or a Dev Studio export) whose files arrive with their
    relative paths in `paths`, a JSON list in the files' order, added by static/js/portal.js
    (Django keeps only the last part of an uploaded file's name). The reader checks the paths."""

    bundle = forms.FileField(label="Bundle zip", required=False,
                             help_text="A .zip of a connector folder (connector.json, the two scripts, icons/, "
                             "samples/) or of a Dev Studio export, up to 20 MiB.",
                             error_messages={"empty": "The uploaded file is empty; choose a bundle .zip."},
                             widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}))
    folder = FolderField(label="Or a folder", required=False,
                         help_text="The connector folder itself, in the same layout, instead of a zip.",
                         widget=MultipleFileInput(attrs={"webkitdirectory": True, "data-bundle-folder": True,
                                                         "data-max-files": MAX_ENTRIES,
                                                         "data-bundle-files": MAX_FILES}))

    def clean_bundle(self):
        upload = self.cleaned_data["bundle"]
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"{upload.name} is {upload.size / 1024 / 1024:.1f} MiB; a bundle may be "
                                  "at most 20 MiB.")
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, files = cleaned.get("bundle"), cleaned.get("folder") or []
        if self.errors:
            return cleaned
        if upload and files:
            raise ValidationError("Choose either a .zip or a folder, not both.")
        if upload:
            self.source, self.label = upload, upload.name
        elif files:
            self.source = UploadedFolder(list(zip(self._paths(len(files)), files)))
            name = self.data.get("folder_name", "")
            self.label = f"The folder {name}" if _FOLDER_NAME.fullmatch(name) and name not in (".", "..") \
                else "The uploaded folder"
        else:
            raise ValidationError("Choose a bundle .zip or folder to upload.")
        return cleaned

    def _paths(self, count: int) -> list[str]:
        raw = self.data.get("paths")
        if raw is None:
            raise ValidationError("The folder arrived without its file paths (choosing a folder needs "
                                  "JavaScript); upload a .zip of the folder instead.")
        try:
            paths = safe_input.loads(raw)
        except ValueError:  # not JSON, or nested past the limit (InputError is a ValueError)
            paths = None
        if not isinstance(paths, list) or not all(isinstance(path, str) for path in paths):
            raise ValidationError("The folder's file paths could not be read; upload the folder again.")
        if len(paths) != count:
            arrived = ngettext("%(n)d file", "%(n)d files", count) % {"n": count}
            named = ngettext("%(n)d path", "%(n)d paths", len(paths)) % {"n": len(paths)}
            raise ValidationError(f"The folder arrived with {arrived} but {named}; upload the folder again.")
        return paths

    def upload_errors(self) -> list[str]:
        """Every refusal, for the page's messages."""
        return [error for errors in self.errors.values() for error in errors]


# --- Submit --------------------------------------------------------------------------


class SubmissionForm(forms.Form):
    instructions = forms.CharField(
        label="Additional Instructions", required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Everything a tester needs to try the connector: test accounts, sample values, where to look.",
    )
    # Per version: never filled in from the previous one (previous_submission_choices leaves it out).
    release_notes = forms.CharField(
        label="What changed in this version", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional for the first version. Your users read it in the version history; "
                  "the reviewers see it first.",
    )
    visibility = forms.ChoiceField(choices=Visibility.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                                   error_messages={"required": "Choose who may use the connector."})

    def __init__(self, *args, connector: Connector, failed_check_errors: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.connector = connector
        # The user's last Check now of this draft failed: the automated tests will too.
        self.failed_check_errors = failed_check_errors
        self.previous = {}
        if not self.is_bound:
            # A resubmission is filled in with what the previous version was submitted with.
            self.previous = previous_submission_choices(connector)
            self.initial = {**self.previous, **self.initial}
        latest = connector.submissions.order_by("-number").values_list("number", flat=True).first()
        if latest:
            # Asked, not required: a pipeline's resubmission through the API need not say it either.
            self.fields["release_notes"].help_text = (
                f"What is new or fixed since version {latest}: your users read it in the version history, "
                "the reviewers see it first.")
            self.fields["release_notes"].widget.attrs["placeholder"] = f"Since version {latest}: …"
        # What the modal promises beside each choice, so it never promises what it cannot keep.
        self.beta_blockers = connector.beta_blockers()
        terms = submission_terms()
        self.beta_days, self.beta_ends = terms["beta_days"], terms["beta_ends"]
        self.review_days, self.review_due = terms["review_days"], terms["review_due"]
        if connector.uses_oauth2:
            self.fields["instructions"].required = True
            self.fields["instructions"].help_text = (
                "This connector uses OAuth 2.0: give a test username and password here, so the reviewers "
                "can sign in. Required."
            )
            self.fields["instructions"].error_messages["required"] = (
                "OAuth 2.0 connectors need a test username and password in Additional Instructions."
            )
