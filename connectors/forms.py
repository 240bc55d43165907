"""Forms of the developer pages. They validate and normalise; the services write.

The connector editor's forms are in connectors/editor_forms.py.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from connectors.models import Connector, Visibility
from portal.safe_input import one_line_fields

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


# --- Develop page -----------------------------------------------------------------


@one_line_fields
class NewConnectorForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name",
                           error_messages={"required": "Give the new connector a name (1 to 100 characters).",
                                           "max_length": "Give the new connector a name of 1 to 100 characters."},
                           widget=forms.TextInput(attrs={"placeholder": "My connector"}))


class BundleUploadForm(forms.Form):
    bundle = forms.FileField(label="Bundle zip", help_text="A .zip of a connector folder (connector.json, "
                             "the two scripts, icons/, samples/), up to 20 MiB.",
                             error_messages={"required": "Choose a bundle .zip to upload.",
                                             "empty": "The uploaded file is empty; choose a bundle .zip."},
                             widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}))

    def clean_bundle(self):
        upload = self.cleaned_data["bundle"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"{upload.name} is {upload.size / 1024 / 1024:.1f} MiB; a bundle may be "
                                  "at most 20 MiB.")
        return upload


# --- Submit --------------------------------------------------------------------------


class SubmissionForm(forms.Form):
    instructions = forms.CharField(
        label="Additional Instructions", required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Everything a tester needs to try the connector: test accounts, sample values, where to look.",
    )
    visibility = forms.ChoiceField(choices=Visibility.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                                   error_messages={"required": "Choose who may use the connector."})

    def __init__(self, *args, connector: Connector, **kwargs):
        super().__init__(*args, **kwargs)
        self.connector = connector
        # What the modal promises beside each choice, so it never promises what it cannot keep.
        self.beta_blockers = connector.beta_blockers()
        today = timezone.localdate()
        self.beta_days = settings.BETA_DAYS
        self.beta_ends = today + timedelta(days=settings.BETA_DAYS)
        self.review_days = settings.REVIEW_DUE_DAYS
        self.review_due = today + timedelta(days=settings.REVIEW_DUE_DAYS)
        if connector.uses_oauth2:
            self.fields["instructions"].required = True
            self.fields["instructions"].help_text = (
                "This connector uses OAuth 2.0: give a test username and password here, so the reviewers "
                "can sign in. Required."
            )
            self.fields["instructions"].error_messages["required"] = (
                "OAuth 2.0 connectors need a test username and password in Additional Instructions."
            )
