"""The run form: the account's fields (secrets masked), the report, the parameters."""

from django import forms

from runs.account_fields import account_fields


class RunForm(forms.Form):
    report = forms.ChoiceField()
    save_as = forms.CharField(required=False, max_length=100, label="Save this account as (optional)")

    def __init__(self, *args, manifest: dict, saved=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = [(r, r) for r in manifest.get("reports") or []]
        self.account_keys = []
        if saved:
            self.fields["saved_account"] = forms.ChoiceField(
                required=False, label="Saved account", choices=[("", "(type the values below)")] +
                [(str(a.pk), a.name) for a in saved])
        for field in account_fields(manifest):
            widget = forms.PasswordInput(render_value=False) if field.secret else forms.TextInput()
            self.fields[f"account_{field.key}"] = forms.CharField(label=field.label, required=False, widget=widget,
                                                                  strip=False)
            self.account_keys.append(field.key)
        for parameter in manifest.get("parameters") or []:
            name = parameter.get("name") if isinstance(parameter, dict) else str(parameter)
            if name:
                self.fields[f"parameter_{name}"] = forms.CharField(label=name, required=False)

    def account(self) -> dict:
        return {key: self.cleaned_data.get(f"account_{key}", "") for key in self.account_keys}

    def parameters(self) -> dict:
        return {name[len("parameter_"):]: value for name, value in self.cleaned_data.items()
                if name.startswith("parameter_") and value != ""}
