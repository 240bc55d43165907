"""The sample account's secret values, as bundle-format.md ("Data flow") names them, and
every encoded form a script could send them in: read by the data-flow scan and by the
sandbox, which masks them in DOMO.log lines."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

MIN_SECRET_LENGTH = 4  # a shorter sample secret would match everywhere and mean nothing
URI_COMPONENT_SAFE = "-_.!~*'()"  # what encodeURIComponent leaves as it is


@dataclass(frozen=True)
class Secret:
    field: str  # the metadata.account key: "password", "apikey", ...

    @property
    def label(self) -> str:
        return f"the account's {self.field} (metadata.account.{self.field})"


def secret_values(manifest: dict) -> dict[str, str]:
    """Secret field -> the sample account's value: the ones the contract calls secret."""
    auth = manifest.get("auth") or {}
    method = auth.get("method")
    account = (manifest.get("samples") or {}).get("account") or {}
    if method == "username_password":
        names = ["password"]
    elif method == "api_key":
        names = ["apikey"]
    elif method == "oauth2":
        names = ["accesstoken"]
    elif method == "custom":
        names = [f.get("key") for f in auth.get("fields") or [] if isinstance(f, dict) and f.get("secret")]
    else:
        names = []
    return {name: account[name] for name in names
            if isinstance(account.get(name), str) and len(account[name]) >= MIN_SECRET_LENGTH}


def account_secrets(manifest: dict) -> dict[str, list[str]]:
    """Secret field -> its value in every form the contract lists, longest first (to mask logs).

    The data-flow scan does not need these: it decodes what was sent instead (values.variants).
    """
    account = (manifest.get("samples") or {}).get("account") or {}
    secrets = {}
    for name, value in secret_values(manifest).items():
        forms = _encoded_forms(value) | {value.encode().hex(), value.encode().hex().upper()}
        if (manifest.get("auth") or {}).get("method") == "username_password" and isinstance(account.get("username"), str):
            forms.add(_base64(f"{account['username']}:{value}"))
        secrets[name] = sorted(forms, key=len, reverse=True)
    return secrets


def _base64(text: str) -> str:
    # Without padding: "=" may travel URL-encoded, and the unpadded text is still there.
    return base64.b64encode(text.encode()).decode().rstrip("=")


def _encoded_forms(value: str) -> set[str]:
    return {value, quote(value, safe=URI_COMPONENT_SAFE), quote_plus(value, safe=URI_COMPONENT_SAFE),
            _base64(value)}
