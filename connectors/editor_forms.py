"""The connector editor: one main form plus two small formsets (custom account fields
and parameters).

ConnectorEditor ties them together, turns the cleaned values into the Connector
columns and files the services take, and runs the same structural rules as an
uploaded connector.json, so a field the editor accepts also exports cleanly.
"""

from __future__ import annotations

import base64
import json

from django import forms
from django.core.exceptions import ValidationError

from connectors.bundle.completeness import icon_problem
from connectors.bundle.manifest import OAUTH2_KEYS, validate_manifest
from connectors.bundle.types import ICONS
from connectors.conversion import manifest_from_columns
from connectors.editor_formsets import AuthFieldFormSet, ParameterFormSet, code_area, lf_lines, lines_of, where
from connectors.glossary import ACCOUNT_FIELD_PARTS, PARAMETER_PARTS, PARTS, known_part
from connectors.labels import ACCOUNT_KEYS, ICON_LABELS, account_keys, samples_template
from connectors.models import AuthMethod, Connector
from portal import safe_input
from portal.safe_input import one_line_fields


@one_line_fields
class ConnectorForm(forms.Form):
    name = forms.CharField(label=PARTS["name"], max_length=100)
    description = forms.CharField(label=PARTS["description"], max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="Up to 2,000 characters; required before submitting.")
    auth_method = forms.ChoiceField(label=PARTS["auth_method"], choices=AuthMethod.choices)

    oauth2_client_id = forms.CharField(label=PARTS["auth.oauth2.client_id"], required=False, max_length=500)
    oauth2_client_secret = forms.CharField(
        label=PARTS["auth.oauth2.client_secret"], required=False, max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Write-only: it is stored encrypted and never shown again. Leave blank to keep the stored one.",
    )
    oauth2_authorization_url = forms.CharField(label=PARTS["auth.oauth2.authorization_url"], required=False, max_length=2000)
    oauth2_access_token_url = forms.CharField(label=PARTS["auth.oauth2.access_token_url"], required=False, max_length=2000)
    oauth2_token_method = forms.ChoiceField(label=PARTS["auth.oauth2.token_method"], required=False,
                                            choices=[("", "---------"), ("GET", "GET"), ("POST", "POST")])
    oauth2_scope = forms.CharField(label=PARTS["auth.oauth2.scope"], required=False, max_length=2000)
    oauth2_authorization_params = forms.CharField(label=PARTS["auth.oauth2.authorization_params"], required=False,
                                                  max_length=2000, help_text="Like response_type=code")
    oauth2_token_params = forms.CharField(label=PARTS["auth.oauth2.token_params"], required=False, max_length=2000,
                                          help_text="Like grant_type=authorization_code")

    hosts = forms.CharField(label=PARTS["hosts"], required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
                            help_text="One a line: api.example.com, api.example.com:8443 or *.example.com. "
                            "The scripts may call these hosts only.")
    reports = forms.CharField(label=PARTS["reports"], required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="One report name a line; the script reads the chosen one as metadata.report.")
    authentication_script = forms.CharField(label=f"{PARTS['scripts.authentication']} (authentication.js)", required=False,
                                            strip=False, widget=code_area(12),
                                            help_text="Must end in auth.authenticationSuccess() or "
                                            "auth.authenticationFailed(message).")
    processdata_script = forms.CharField(label=f"{PARTS['scripts.processdata']} (processdata.js)", required=False,
                                         strip=False, widget=code_area(24))
    samples = forms.CharField(label=f"{PARTS['samples']} (JSON)", required=False, widget=code_area(10),
                              help_text="account, parameters, days and recorded responses the checks run the "
                              "scripts against. Fake values only, never real credentials.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, (path, width, height) in ICONS.items():
            self.fields[f"icon_{key}"] = forms.FileField(
                label=ICON_LABELS[key], required=False,
                help_text=f"{width}x{height} PNG ({path})",
                widget=forms.FileInput(attrs={"accept": "image/png"}),
            )
            # A valid icon chosen in a save refused for another reason comes back in the
            # page (a browser cannot refill a file input) and is saved with the next Save.
            self.fields[f"kept_icon_{key}"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.kept_icons: dict[str, bytes] = {}

    def clean_authentication_script(self):
        return lf_lines(self.cleaned_data["authentication_script"])

    def clean_processdata_script(self):
        return lf_lines(self.cleaned_data["processdata_script"])

    def clean_hosts(self):
        return lines_of(self.cleaned_data["hosts"])

    def clean_reports(self):
        reports = lines_of(self.cleaned_data["reports"])
        seen = set()
        for report in reports:
            if report in seen:
                raise ValidationError(f"The report {report!r} is listed twice; report names must be unique.")
            seen.add(report)
        return reports

    def clean_samples(self):
        text = self.cleaned_data["samples"].strip()
        if not text:
            return {}
        try:
            value = safe_input.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(f"Not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}.")
        except safe_input.InputError as error:
            raise ValidationError(f"The samples {where(error)}{error.message}.")
        if not isinstance(value, dict):
            raise ValidationError('The samples must be a JSON object, like {"account": {}, "responses": []}.')
        return value

    def clean(self):
        cleaned = super().clean()
        for key in ICONS:
            upload = cleaned.get(f"icon_{key}")
            if upload:
                data = upload.read()
                problem = icon_problem(key, data, subject=upload.name)
                if problem:
                    self.add_error(f"icon_{key}", problem)
                else:
                    cleaned[f"icon_{key}"] = data
                    self.kept_icons[key] = data
            elif kept := _kept_icon(key, cleaned.get(f"kept_icon_{key}")):
                cleaned[f"icon_{key}"] = kept
                self.kept_icons[key] = kept
        return cleaned


# An icon carried through a refused save travels as base64 in a form field, which counts
# against DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB): four of them stay well below it.
KEPT_ICON_MAX_BYTES = 512 * 1024


def _kept_icon(key: str, text: str | None) -> bytes | None:
    """The icon a refused save kept, checked again (it came back from the browser)."""
    if not text or len(text) > KEPT_ICON_MAX_BYTES * 4 // 3 + 4:
        return None
    try:
        data = base64.b64decode(text, validate=True)
    except ValueError:
        return None
    return data if icon_problem(key, data) is None else None


def _png_data_uri(data: bytes | None) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii") if data else ""


class ConnectorEditor:
    """The main form and both formsets of the editor, as one thing to validate."""

    def __init__(self, connector: Connector, data=None, files=None, disabled: bool = False):
        self.connector = connector
        self.stored_files = {f.path: bytes(f.content) for f in connector.files.all()}
        bound = data is not None
        self.form = ConnectorForm(data if bound else None, files if bound else None,
                                  initial=None if bound else self._initial(), prefix=None)
        self.auth_fields = AuthFieldFormSet(data if bound else None, prefix="auth_fields",
                                            initial=None if bound else self._auth_initial())
        self.parameters = ParameterFormSet(data if bound else None, prefix="parameters",
                                           initial=None if bound else self._parameters_initial())
        if connector.auth_method not in AuthMethod.values:
            # A Dev Studio draft whose developer never chose one: show "choose" rather than
            # preselecting the first method, so a save cannot pick one silently.
            self.form.fields["auth_method"].choices = [("", "Choose one"), *AuthMethod.choices]
        if disabled:
            for form in [self.form, *self.auth_fields.forms, *self.parameters.forms]:
                for field in form.fields.values():
                    field.disabled = True
        self.manifest_errors: list = []

    # -- initial values from the connector --

    def _initial(self) -> dict:
        c = self.connector
        oauth2 = c.oauth2 or {}
        initial = {
            "name": c.name,
            "description": c.description,
            "auth_method": c.auth_method,
            "hosts": "\n".join(c.hosts or []),
            "reports": "\n".join(c.reports or []),
            "authentication_script": c.authentication_script,
            "processdata_script": c.processdata_script,
            "samples": json.dumps(c.samples, indent=2) if c.samples else "",
        }
        for key in OAUTH2_KEYS:
            initial[f"oauth2_{key}"] = oauth2.get(key, "")
        return initial

    def _auth_initial(self) -> list[dict]:
        return [
            {"key": f.get("key", ""), "label": f.get("label", ""), "secret": bool(f.get("secret"))}
            for f in (self.connector.auth_fields or []) if isinstance(f, dict)
        ]

    def _parameters_initial(self) -> list[dict]:
        rows = []
        for p in self.connector.parameters or []:
            if not isinstance(p, dict):
                continue
            discovery = p.get("discovery") if isinstance(p.get("discovery"), dict) else {}
            options = p.get("options") if isinstance(p.get("options"), list) else []
            known = {"name", "type", "required", "help", "options", "discovery"}
            rows.append({
                "name": p.get("name", ""),
                "type": p.get("type", "string"),
                "required": bool(p.get("required")),
                "help": p.get("help", ""),
                "options": "\n".join(
                    f"{o.get('name', '')} = {o.get('value', '')}" for o in options if isinstance(o, dict)
                ),
                "discovery_mode": discovery.get("mode", "dropdown"),
                "discovery_script": discovery.get("script", ""),
                "discovery_source": self._text(discovery.get("script")),
                "extra": json.dumps({k: v for k, v in p.items() if k not in known}) if set(p) - known else "",
            })
        return rows

    def _text(self, path) -> str:
        data = self.stored_files.get(path) if isinstance(path, str) else None
        return data.decode("utf-8", errors="replace") if data is not None else ""

    # -- what the template shows beside the fields --

    def icons(self) -> list[dict]:
        rows = []
        for key, (path, width, height) in ICONS.items():
            kept = self.form.kept_icons.get(key)
            data = kept or self.stored_files.get(path)
            rows.append({
                # Chosen in a refused save: shown, and sent again with the next Save.
                "kept": base64.b64encode(kept).decode("ascii") if kept and len(kept) <= KEPT_ICON_MAX_BYTES else "",
                "key": key,
                "label": ICON_LABELS[key],
                "path": path,
                "size": f"{width}x{height}",
                "field": self.form[f"icon_{key}"],
                "preview": _png_data_uri(data),
                "problem": icon_problem(key, data) if data else None,
            })
        return rows

    @property
    def samples_templates(self) -> dict[str, str]:
        """Per sign-in method, the Samples box's starting point (connectors.labels): the page
        shows the one of the method chosen, saved or not."""
        c = self.connector
        host, report = (c.hosts or [""])[0], (c.reports or [""])[0]
        return {method: json.dumps(samples_template(method, c.auth_fields, host, report), indent=2)
                for method in AuthMethod.values}

    @property
    def account_keys(self) -> dict[str, list[str]]:
        """Per sign-in method, the metadata.account names the scripts read."""
        return {method: account_keys(method, self.connector.auth_fields) for method in ACCOUNT_KEYS}

    @property
    def has_client_secret(self) -> bool:
        return bool(self.connector.oauth2_client_secret)

    # -- validation and the values for connector_update --

    def is_valid(self) -> bool:
        valid = all([self.form.is_valid(), self.auth_fields.is_valid(), self.parameters.is_valid()])
        if not valid:
            return False
        fields, files = self.changes()
        manifest = manifest_from_columns(fields)
        all_files = {**self.stored_files, **{p: d for p, d in files.items() if d is not None}}
        self.manifest_errors = validate_manifest(manifest, all_files)
        for error in self.manifest_errors:
            self._attach(error)
        return not self.manifest_errors

    def _attach(self, error) -> None:
        """Put a connector.json rule's message beside the field it is about."""
        # Beside its field the message needs no JSON path (people read labels; the paths
        # stay in the API and the bundle upload, where connector.json is what they edit).
        # A line of a one-per-line field (hosts, reports) is named by its number.
        path = error.json_path or ""
        message = error.message
        simple = {"$.name": "name", "$.description": "description", "$.hosts": "hosts", "$.reports": "reports",
                  "$.samples": "samples", "$.auth.method": "auth_method"}
        for prefix, field in simple.items():
            if path == prefix or path.startswith(prefix + "[") or path.startswith(prefix + "."):
                index = path[len(prefix) + 1:].split("]")[0] if path.startswith(prefix + "[") else ""
                if index.isdigit() and field in ("hosts", "reports"):
                    message = f"Line {int(index) + 1}: {message}"
                self.form.add_error(field, message)
                return
        if path.startswith("$.auth.oauth2."):
            key = path.split(".")[3].split("[")[0]
            if f"oauth2_{key}" in self.form.fields:
                self.form.add_error(f"oauth2_{key}", message)
                return
        for prefix, formset in (("$.parameters[", self.parameters), ("$.auth.fields[", self.auth_fields)):
            if path.startswith(prefix):
                index_text, _, rest = path[len(prefix):].partition("]")
                index = int(index_text)
                part = rest.lstrip(".").split(".")[0].split("[")[0]
                kept = [f for f in formset.forms if f.has_changed() and f not in formset.deleted_forms]
                if index < len(kept):
                    names = PARAMETER_PARTS if formset is self.parameters else ACCOUNT_FIELD_PARTS
                    name = names.get(part, part.replace("_", " ").capitalize())
                    kept[index].add_error(None, f"{name}: {message}" if part else message)
                    return
        name = known_part(path.removeprefix("$.")) if path else None  # the glossary's name, not the path
        self.form.add_error(None, f"{name}: {message}" if name else f"{message} ({path})" if path else message)

    def changes(self) -> tuple[dict, dict]:
        """(column values, {path: bytes}) for services.connector_update."""
        data = self.form.cleaned_data
        oauth2 = dict(self.connector.oauth2 or {})
        for key in OAUTH2_KEYS:
            value = (data.get(f"oauth2_{key}") or "").strip()
            if value:
                oauth2[key] = value
            else:
                oauth2.pop(key, None)
        fields = {
            "name": data["name"],
            "description": data["description"],
            "auth_method": data["auth_method"],
            "oauth2": oauth2,
            "auth_fields": [
                {"key": f.cleaned_data["key"], "label": f.cleaned_data["label"], "secret": f.cleaned_data["secret"]}
                for f in self.auth_fields.forms
                if f.has_changed() and f not in self.auth_fields.deleted_forms
            ],
            "hosts": data["hosts"],
            "reports": data["reports"],
            "parameters": [],
            "samples": data["samples"],
            "authentication_script": data["authentication_script"],
            "processdata_script": data["processdata_script"],
        }
        if data.get("oauth2_client_secret"):
            fields["oauth2_client_secret"] = data["oauth2_client_secret"]
        files: dict[str, bytes | None] = {}
        for form in self.parameters.forms:
            if not form.has_changed() or form in self.parameters.deleted_forms:
                continue
            param = form.as_parameter()
            fields["parameters"].append(param)
            if param["type"] == "discovery":
                source = form.cleaned_data.get("discovery_source") or ""
                path = param["discovery"]["script"]
                if source.strip() or path not in self.stored_files:
                    files[path] = source.encode("utf-8")
        for key, (path, _w, _h) in ICONS.items():
            if isinstance(data.get(f"icon_{key}"), bytes):
                files[path] = data[f"icon_{key}"]
        return fields, files
