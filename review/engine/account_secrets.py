"""The account's secret values, as bundle-format.md ("Data flow") names them, and
every encoded form a script could send them in: read by the data-flow scan and by the
sandbox, which masks them in DOMO.log lines."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from review.engine.account_values import run_account, secret_fields

MIN_SECRET_LENGTH = 4  # a shorter sample secret would match everywhere and mean nothing
URI_COMPONENT_SAFE = "-_.!~*'()"  # what encodeURIComponent leaves as it is


@dataclass(frozen=True)
class Secret:
    field: str  # the metadata.account key: "password", "apikey", ...

    @property
    def label(self) -> str:
        return f"the account's {self.field} (metadata.account.{self.field})"


def secret_values(manifest: dict, account: dict | None = None) -> dict[str, str]:
    """Secret field -> the value the runs are given (the sample's, or a generated one),
    for the fields the contract calls secret; `account` is a variant's account."""
    account = run_account(manifest) if account is None else account
    return {name: account[name] for name in secret_fields(manifest)
            if isinstance(account.get(name), str) and len(account[name]) >= MIN_SECRET_LENGTH}


def account_secrets(manifest: dict, account: dict | None = None) -> dict[str, list[str]]:
    """Secret field -> its value in every form the contract lists, longest first: to mask
    logs, and to say where a secret was seen when a finding explains itself."""
    return {name: sorted(set(forms), key=len, reverse=True)
            for name, forms in secret_forms(manifest, account).items()}


def secret_forms(manifest: dict, account: dict | None = None) -> dict[str, list[str]]:
    """Secret field -> its forms in one fixed order: the forms of two accounts pair up."""
    account = run_account(manifest) if account is None else account
    secrets = {}
    for name, value in secret_values(manifest, account).items():
        forms = [value, quote(value, safe=URI_COMPONENT_SAFE), quote_plus(value, safe=URI_COMPONENT_SAFE),
                 _base64(value), value.encode().hex(), value.encode().hex().upper()]
        if (manifest.get("auth") or {}).get("method") == "username_password" and isinstance(account.get("username"), str):
            forms.append(_base64(f"{account['username']}:{value}"))
        secrets[name] = forms
    return secrets


def _base64(text: str) -> str:
    # Without padding: "=" may travel URL-encoded, and the unpadded text is still there.
    return base64.b64encode(text.encode()).decode().rstrip("=")
