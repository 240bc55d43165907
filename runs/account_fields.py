"""The account form a connector's auth method defines (Domo's: API key, username and password, custom fields)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AccountField:
    key: str  # the metadata.account key
    label: str
    secret: bool


def account_fields(manifest: dict) -> list[AccountField]:
    auth = manifest.get("auth") or {}
    method = auth.get("method")
    if method == "api_key":
        return [AccountField("apikey", "API key", True)]
    if method == "username_password":
        return [AccountField("username", "Username", False), AccountField("password", "Password", True)]
    if method == "custom":
        return [AccountField(str(f["key"]), str(f.get("label") or f["key"]), bool(f.get("secret")))
                for f in auth.get("fields") or [] if isinstance(f, dict) and f.get("key")]
    return []
