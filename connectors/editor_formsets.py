"""The editor's two small formsets' forms: a custom account field, a parameter."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError

from connectors.bundle.manifest import DISCOVERY_MODES, json_path, path_problem
from connectors.glossary import ACCOUNT_FIELD_PARTS, PARAMETER_PARTS
from connectors.labels import PARAMETER_TYPE_LABELS
from portal import safe_input
from portal.safe_input import one_line_fields


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def where(error: safe_input.InputError) -> str:
    return f"at {json_path(*error.where)} " if error.where else ""



def code_area(rows=18):
    return forms.Textarea(attrs={"rows": rows, "class": "code-input font-monospace", "spellcheck": "false",
                                 "autocapitalize": "off", "autocomplete": "off", "wrap": "off"})


def lf_lines(text: str) -> str:
    """A script as stored: LF line endings. Browsers send a textarea's lines ending in CRLF
    (the HTML form encoding), which made an untouched script "changed: +0 -0" in the diff."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@one_line_fields
class AuthFieldForm(forms.Form):
    key = forms.CharField(label=ACCOUNT_FIELD_PARTS["key"], max_length=100, widget=forms.TextInput(attrs={"placeholder": "apiToken"}),
                          help_text="Read in scripts as metadata.account.<key>")
    label = forms.CharField(label=ACCOUNT_FIELD_PARTS["label"], max_length=200, widget=forms.TextInput(attrs={"placeholder": "API token"}))
    secret = forms.BooleanField(label=ACCOUNT_FIELD_PARTS["secret"], required=False, help_text="Masked when typed")


@one_line_fields
class ParameterForm(forms.Form):
    name = forms.CharField(label=PARAMETER_PARTS["name"], max_length=200)
    type = forms.ChoiceField(label=PARAMETER_PARTS["type"], choices=list(PARAMETER_TYPE_LABELS.items()), initial="string",
                             widget=forms.Select(attrs={"class": "parameter-type"}))
    required = forms.BooleanField(label=PARAMETER_PARTS["required"], required=False)
    help = forms.CharField(label=PARAMETER_PARTS["help"], required=False, max_length=500)
    options = forms.CharField(label=PARAMETER_PARTS["options"], required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
                              help_text="Dropdown only. One option a line: Label = value")
    discovery_mode = forms.ChoiceField(label="Discovery mode", required=False, initial="dropdown",
                                       choices=[("dropdown", "Dropdown (pick one)"), ("tree", "Tree (pick many)")])
    discovery_script = forms.CharField(label="Discovery script path", required=False, max_length=255,
                                       widget=forms.TextInput(attrs={"placeholder": "discovery/options.js"}))
    discovery_source = forms.CharField(label=PARAMETER_PARTS["discovery"], required=False, strip=False,
                                       widget=code_area(8))
    # Manifest keys the editor has no field for (like show_when), carried through untouched.
    extra = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_discovery_source(self):
        return lf_lines(self.cleaned_data["discovery_source"])

    def clean_options(self):
        options = []
        for line in lines_of(self.cleaned_data["options"]):
            label, sep, value = line.partition("=")
            label, value = label.strip(), value.strip()
            if not sep:
                value = label
            if not label:
                raise ValidationError(f"The option {line!r} has no label; write it as Label = value.")
            options.append({"name": label, "value": value})
        return options

    def clean_extra(self):
        text = self.cleaned_data["extra"]
        if not text:
            return {}
        try:
            value = safe_input.loads(text)
        except json.JSONDecodeError:
            return {}
        except safe_input.InputError as error:  # kept, not dropped: the person must know
            raise ValidationError(f"This parameter's other settings {where(error)}{error.message}.")
        return value if isinstance(value, dict) else {}

    def clean(self):
        cleaned = super().clean()
        hidden_errors = self.errors.pop("extra", None)  # a hidden field's errors would show nowhere
        if hidden_errors:
            self.add_error(None, list(hidden_errors))
        kind = cleaned.get("type")
        if kind == "dropdown" and not cleaned.get("options") and "options" not in self.errors:
            self.add_error("options", "A dropdown needs at least one option.")
        if kind == "discovery":
            if cleaned.get("discovery_mode") not in DISCOVERY_MODES:
                self.add_error("discovery_mode", "Choose how the options are picked: dropdown or tree.")
            script = (cleaned.get("discovery_script") or "").strip()
            if not script:
                slug = "".join(ch if ch.isalnum() else "_" for ch in (cleaned.get("name") or "options").lower())
                script = f"discovery/{slug}.js"
            problem = path_problem(script)
            if problem:
                self.add_error("discovery_script", f"{script!r} {problem}.")
            elif not script.endswith(".js"):
                self.add_error("discovery_script", "The discovery script must be a .js file.")
            cleaned["discovery_script"] = script
        return cleaned

    def as_parameter(self) -> dict:
        data = self.cleaned_data
        param = dict(data.get("extra") or {})
        for key in ("options", "discovery"):
            param.pop(key, None)
        param.update({"name": data["name"], "type": data["type"]})
        if data.get("required"):
            param["required"] = True
        else:
            param.pop("required", None)
        if data.get("help"):
            param["help"] = data["help"]
        else:
            param.pop("help", None)
        if data["type"] == "dropdown":
            param["options"] = data["options"]
        if data["type"] == "discovery":
            param["discovery"] = {"mode": data["discovery_mode"], "script": data["discovery_script"]}
        return param


AuthFieldFormSet = forms.formset_factory(AuthFieldForm, extra=1, can_delete=True)
ParameterFormSet = forms.formset_factory(ParameterForm, extra=1, can_delete=True)
