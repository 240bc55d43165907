"""Credentials that ride along in OAuth 2.0 settings, found by name and removed.

Dev Studio exports (and hand-written bundles) put `client_secret=...` into the extra
token or authorization parameters, into the access-token URL's query, or `user:pass@`
into a URL. A bundle never carries credentials (bundle-format.md), so those values are
cut out wherever they hide, keeping everything else byte for byte; the caller says
which names were dropped, never the values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from urllib.parse import unquote_plus, urlsplit, urlunsplit

# Compared after lower-casing and removing everything but letters and digits, so
# "Client-Secret", "client_secret" and "clientSecret" are one name.
CREDENTIAL_NAMES = frozenset({"auth", "authorization", "pass", "passwd", "pwd", "passphrase"})
CREDENTIAL_SUFFIXES = ("secret", "password", "passwd", "apikey", "token", "privatekey", "accesskey",
                       "secretkey", "sessionkey", "signingkey", "credential", "credentials")
URL_KEYS = ("authorization_url", "access_token_url")
PARAMETER_KEYS = ("authorization_params", "token_params")

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SEPARATOR = re.compile(r"([&\n])")


def is_credential_key(name: str) -> bool:
    normal = _NOT_ALNUM.sub("", unquote_plus(name).lower())
    return normal in CREDENTIAL_NAMES or normal.endswith(CREDENTIAL_SUFFIXES)


def strip_query(text: str) -> tuple[str, list[str]]:
    """`a=1&client_secret=x` -> (`a=1`, ["client_secret"]); kept pieces stay as written."""
    kept: list[str] = []
    dropped: list[str] = []
    parts = _SEPARATOR.split(text)
    for i in range(0, len(parts), 2):
        piece = parts[i]
        name = piece.split("=", 1)[0].strip()
        if name and is_credential_key(name):
            dropped.append(unquote_plus(name))
            continue
        if piece:
            kept.append((parts[i - 1] if i and kept else "") + piece)
    return "".join(kept), dropped


def strip_parameters(text: str) -> tuple[str, list[str]]:
    """Extra OAuth parameters: a query string, or a JSON object some exports use."""
    if text.lstrip().startswith("{"):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, dict):
            dropped = [key for key in value if is_credential_key(key)]
            if not dropped:
                return text, []
            return json.dumps({k: v for k, v in value.items() if k not in dropped}, ensure_ascii=False), dropped
    return strip_query(text)


def strip_url(url: str) -> tuple[str, list[str]]:
    """Drop `user:pass@` and credential-named query parameters from a URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url, []
    dropped: list[str] = []
    netloc = parts.netloc
    if "@" in netloc:
        netloc = netloc.rsplit("@", 1)[1]
        dropped.append("user info")
    query, names = strip_query(parts.query)
    dropped.extend(f"?{name}" for name in names)
    if not dropped:
        return url, []
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)), dropped


def strip_oauth2(oauth2: Mapping) -> tuple[dict, list[str]]:
    """auth.oauth2 without credentials, and "<key> <name>" for each value dropped."""
    clean: dict = {}
    dropped: list[str] = []
    for key, value in oauth2.items():
        if is_credential_key(str(key)):  # a client_secret key of its own
            dropped.append(str(key))
            continue
        if isinstance(value, str) and key in URL_KEYS:
            value, names = strip_url(value)
        elif isinstance(value, str) and key in PARAMETER_KEYS:
            value, names = strip_parameters(value)
        else:
            names = []
        dropped.extend(f"{key} {name}" for name in names)
        clean[key] = value
    return clean, dropped

