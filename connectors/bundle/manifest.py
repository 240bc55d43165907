"""Structural rules for connector.json (the manifest table of bundle-format.md).

Structural means "the portal cannot make sense of this": wrong types, unknown enum
values, broken paths. What a draft may still lack (a description, hosts, reports,
scripts, icons, OAuth details) is not checked here but in completeness.py, so a
half-finished connector can still be saved, exported and read back.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from portal.safe_input import MAX_PATH_CHARS, json_problem, one_line_problems

from .errors import BundleError
from .types import MANIFEST

AUTH_METHODS = ("none", "username_password", "api_key", "oauth2", "custom")
PARAMETER_TYPES = ("string", "integer", "text", "dropdown", "date_selector", "discovery")
DISCOVERY_MODES = ("dropdown", "tree")
# In the order the editor shows them.
OAUTH2_KEYS = (
    "client_id",
    "authorization_url",
    "access_token_url",
    "token_method",
    "scope",
    "authorization_params",
    "token_params",
)
TOKEN_METHODS = ("GET", "POST")
SAMPLE_METHODS = ("GET", "POST", "PUT")
MAX_NAME = 100
MAX_DESCRIPTION = 2000

_JS_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^(?:\*\.)?{_LABEL}(?:\.{_LABEL})*(?::(?P<port>[0-9]{{1,5}}))?$", re.IGNORECASE)
_WILDCARD_BASE = re.compile(rf"^\*\.{_LABEL}\.{_LABEL}", re.IGNORECASE)
_URL = re.compile(r"^https?://[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def path_problem(path: Any) -> str | None:
    """Why `path` is not a safe relative path inside a bundle, or None when it is."""
    if not isinstance(path, str) or not path:
        return "must be a path inside the bundle, like discovery/workspaces.js"
    if _CONTROL.search(path):
        return "contains a control character; rename the file"
    if len(path) > MAX_PATH_CHARS:
        return f"is {len(path)} characters long; a path inside the bundle may have at most {MAX_PATH_CHARS}"
    if path.startswith(("/", "\\")) or _DRIVE.match(path):
        return "is an absolute path; paths must be relative to the bundle folder"
    if "\\" in path:
        return "uses a backslash; write paths inside the bundle with / (like icons/logo.png)"
    parts = path.split("/")
    if ".." in parts:
        return "leaves the bundle folder (..); paths must stay inside the bundle"
    if any(part in ("", ".") for part in parts):
        return "is not a plain relative path; remove empty and '.' parts"
    return None


def json_path(*parts: str | int) -> str:
    """"$" followed by .key, [index] or ["odd key"] for each part."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _JS_IDENTIFIER.match(part):
            out += f".{part}"
        else:
            out += '["' + part.replace("\\", "\\\\").replace('"', '\\"') + '"]'
    return out


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Checker:
    def __init__(self, files: Mapping[str, bytes] | None):
        self.files = files
        self.errors: list[BundleError] = []

    def error(self, path: tuple, message: str) -> None:
        self.errors.append(BundleError(message, MANIFEST, json_path(*path)))

    def expect(self, value: Any, kind: type, path: tuple, what: str) -> bool:
        """True when value has the JSON type; otherwise records an error."""
        ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
        if not ok:
            self.error(path, f"must be {what}, not {_type_name(value)}")
        return ok

    def one_of(self, value: Any, allowed: tuple, path: tuple) -> bool:
        if value in allowed and isinstance(value, str):
            return True
        self.error(path, "must be one of " + ", ".join(allowed))
        return False

    def relative_path(self, value: Any, path: tuple, must_exist: bool = False, suffix: str = "") -> None:
        problem = path_problem(value)
        if problem:
            self.error(path, problem)
        elif suffix and not value.endswith(suffix):
            self.error(path, f"must name a {suffix} file, not {value}")
        elif must_exist and self.files is not None and value not in self.files:
            self.error(path, f"names {value}, which is not in the bundle; add the file or fix the path")

    def url(self, value: Any, path: tuple) -> None:
        if self.expect(value, str, path, "a URL") and not _URL.match(value):
            self.error(path, f"must be an http(s) URL like https://api.example.com/v1/items, not {value!r}")

    # -- the manifest, key by key ------------------------------------------------

    def manifest(self, m: Any) -> None:
        if not isinstance(m, dict):
            self.error((), f"the manifest must be a JSON object ({{...}}), not {_type_name(m)}")
            return
        unsafe = json_problem(m)
        if unsafe:  # NUL or deep nesting: nothing else can be checked or stored safely
            self.error(unsafe.where, unsafe.message)
            return
        self.format(m)
        self.name(m)
        self.description(m)
        self.auth(m)
        self.hosts(m)
        self.reports(m)
        self.parameters(m)
        self.scripts(m)
        self.samples(m)
        self.one_line_strings(m)

    def one_line_strings(self, m: dict) -> None:
        # Names, labels, hosts, options end up in e-mail subjects and one-line fields;
        # only the description and the samples may hold line breaks.
        for where, problem in one_line_problems({k: v for k, v in m.items() if k not in ("description", "samples")}):
            self.error(where, problem)

    def format(self, m: dict) -> None:
        value = m.get("format")
        if "format" not in m:
            self.error(("format",), 'is missing; add "format": 1')
        elif not _is_number(value) or value != 1:
            self.error(("format",), f"must be 1 (bundle format version 1), not {value!r}")

    def name(self, m: dict) -> None:
        if "name" not in m:
            self.error(("name",), f"is missing; add the connector's name (1 to {MAX_NAME} characters)")
        elif self.expect(m["name"], str, ("name",), "a string"):
            if not m["name"].strip():
                self.error(("name",), f"is empty; give the connector a name (1 to {MAX_NAME} characters)")
            elif len(m["name"]) > MAX_NAME:
                self.error(("name",), f"is {len(m['name'])} characters; shorten it to {MAX_NAME} or fewer")

    def description(self, m: dict) -> None:
        value = m.get("description")
        if value is None:
            return
        if self.expect(value, str, ("description",), "a string") and len(value) > MAX_DESCRIPTION:
            self.error(("description",), f"is {len(value)} characters; shorten it to {MAX_DESCRIPTION:,} or fewer")

    def auth(self, m: dict) -> None:
        if "auth" not in m:
            self.error(("auth",), 'is missing; add for example "auth": {"method": "api_key"}')
            return
        auth = m["auth"]
        if not self.expect(auth, dict, ("auth",), 'an object like {"method": "api_key"}'):
            return
        method = auth.get("method")
        self.one_of(method, AUTH_METHODS, ("auth", "method"))
        if "client_secret" in auth:
            self.error(("auth", "client_secret"), _SECRET_MESSAGE)
        if "fields" in auth:
            if method != "custom":
                self.error(("auth", "fields"), 'is only used with "method": "custom"; remove it')
            else:
                self.auth_fields(auth["fields"])
        if "oauth2" in auth:
            if method != "oauth2":
                self.error(("auth", "oauth2"), 'is only used with "method": "oauth2"; remove it')
            else:
                self.oauth2(auth["oauth2"])

    def auth_fields(self, fields: Any) -> None:
        base = ("auth", "fields")
        if not self.expect(fields, list, base, 'a list like [{"key": "token", "label": "Token", "secret": true}]'):
            return
        seen: set[str] = set()
        for i, item in enumerate(fields):
            here = base + (i,)
            if not self.expect(item, dict, here, 'an object like {"key": "token", "label": "Token"}'):
                continue
            key = item.get("key")
            if not isinstance(key, str) or not _JS_IDENTIFIER.match(key):
                self.error(here + ("key",), "must be a JavaScript identifier (letters, digits, _ or $, "
                           "not starting with a digit); scripts read it as metadata.account.<key>")
            elif key in seen:
                self.error(here + ("key",), f"repeats the key {key!r}; each field needs its own key")
            else:
                seen.add(key)
            label = item.get("label")
            if not isinstance(label, str) or not label.strip():
                self.error(here + ("label",), "must be the text shown next to the field (a non-empty string)")
            if "secret" in item:
                self.expect(item["secret"], bool, here + ("secret",), "true or false")

    def oauth2(self, oauth2: Any) -> None:
        base = ("auth", "oauth2")
        if not self.expect(oauth2, dict, base, "an object"):
            return
        for key in oauth2:
            squeezed = key.lower().replace("_", "").replace("-", "")
            if "secret" in squeezed:
                self.error(base + (key,), _SECRET_MESSAGE)
        for key in OAUTH2_KEYS:
            if key in oauth2 and oauth2[key] is not None:
                self.expect(oauth2[key], str, base + (key,), "a string")
        for key in ("authorization_url", "access_token_url"):
            if isinstance(oauth2.get(key), str) and oauth2[key]:
                self.url(oauth2[key], base + (key,))
        method = oauth2.get("token_method")
        if isinstance(method, str) and method:
            self.one_of(method, TOKEN_METHODS, base + ("token_method",))

    def hosts(self, m: dict) -> None:
        hosts = m.get("hosts")
        if hosts is None or not self.expect(hosts, list, ("hosts",), 'a list like ["api.example.com"]'):
            return
        for i, host in enumerate(hosts):
            if not self.expect(host, str, ("hosts", i), 'a host name like "api.example.com"'):
                continue
            self.host(host, ("hosts", i))

    def host(self, host: str, path: tuple) -> None:
        if "://" in host or "/" in host:
            self.error(path, f"{host!r} must be a host only, without https:// or a path "
                       '(like "api.example.com")')
            return
        match = _HOST.match(host)
        port = match and match.group("port")
        if not match or (port is not None and not 1 <= int(port) <= 65535):
            self.error(path, f"{host!r} is not a host name; write it as api.example.com, "
                       "api.example.com:8443 or *.example.com")
        elif host.startswith("*.") and not _WILDCARD_BASE.match(host):
            self.error(path, f"{host!r} covers a whole top-level domain; name the domain, like *.example.com")

    def reports(self, m: dict) -> None:
        reports = m.get("reports")
        if reports is None or not self.expect(reports, list, ("reports",), 'a list like ["Events"]'):
            return
        seen: set[str] = set()
        for i, report in enumerate(reports):
            if not self.expect(report, str, ("reports", i), "a report name (a string)"):
                continue
            if not report.strip():
                self.error(("reports", i), "is empty; give the report a name")
            elif report in seen:
                self.error(("reports", i), f"repeats the report {report!r}; report names must be unique")
            seen.add(report)

    def parameters(self, m: dict) -> None:
        params = m.get("parameters")
        if params is None or not self.expect(params, list, ("parameters",), "a list of parameters"):
            return
        seen: set[str] = set()
        for i, param in enumerate(params):
            here = ("parameters", i)
            if not self.expect(param, dict, here, 'an object like {"name": "Region", "type": "string"}'):
                continue
            name = param.get("name")
            if not isinstance(name, str) or not name.strip():
                self.error(here + ("name",), "must be the parameter's name (a non-empty string)")
            elif name in seen:
                self.error(here + ("name",), f"repeats the parameter name {name!r}; names must be unique")
            else:
                seen.add(name)
            kind = param.get("type")
            if self.one_of(kind, PARAMETER_TYPES, here + ("type",)):
                if kind == "dropdown":
                    self.options(param.get("options"), here + ("options",))
                elif kind == "discovery":
                    self.discovery(param.get("discovery"), here + ("discovery",))
            if "help" in param:
                self.expect(param["help"], str, here + ("help",), "a string")
            if "required" in param:
                self.expect(param["required"], bool, here + ("required",), "true or false")
            if "show_when" in param:
                self.expect(param["show_when"], str, here + ("show_when",), "a string")

    def options(self, options: Any, path: tuple) -> None:
        if not isinstance(options, list) or not options:
            self.error(path, 'a dropdown needs options: a non-empty list like [{"name": "Europe", "value": "eu"}]')
            return
        for i, option in enumerate(options):
            here = path + (i,)
            if not self.expect(option, dict, here, 'an object like {"name": "Europe", "value": "eu"}'):
                continue
            name = option.get("name")
            if not isinstance(name, str) or not name.strip():
                self.error(here + ("name",), "must be the text shown for the option (a non-empty string)")
            value = option.get("value")
            if not isinstance(value, str) and not _is_number(value):
                self.error(here + ("value",), "must be the option's value (a string)")

    def discovery(self, discovery: Any, path: tuple) -> None:
        if not isinstance(discovery, dict):
            self.error(path, 'a discovery parameter needs {"mode": "dropdown" or "tree", '
                       '"script": "discovery/<name>.js"}')
            return
        self.one_of(discovery.get("mode"), DISCOVERY_MODES, path + ("mode",))
        self.relative_path(discovery.get("script"), path + ("script",), suffix=".js")

    def scripts(self, m: dict) -> None:
        scripts = m.get("scripts")
        if scripts is None or not self.expect(scripts, dict, ("scripts",), "an object"):
            return
        for role in ("authentication", "processdata"):
            if role in scripts:
                self.relative_path(scripts[role], ("scripts", role))

    def samples(self, m: dict) -> None:
        samples = m.get("samples")
        if samples is None or not self.expect(samples, dict, ("samples",), "an object"):
            return
        for key in ("account", "parameters"):
            if key in samples:
                self.expect(samples[key], dict, ("samples", key), "an object")
        if "days" in samples:
            days = samples["days"]
            if not _is_number(days) or days < 0:
                self.error(("samples", "days"), f"must be a number of days (0 or more), not {days!r}")
        responses = samples.get("responses")
        if responses is None or not self.expect(responses, list, ("samples", "responses"), "a list"):
            return
        for i, response in enumerate(responses):
            self.response(response, ("samples", "responses", i))

    def response(self, r: Any, here: tuple) -> None:
        if not self.expect(r, dict, here, 'an object like {"method": "GET", "url": ..., "status": 200, "body": ...}'):
            return
        self.one_of(r.get("method"), SAMPLE_METHODS, here + ("method",))
        urls = [key for key in ("url", "url_prefix") if key in r]
        if len(urls) != 1:
            self.error(here, "needs exactly one of url (an exact URL) and url_prefix")
        for key in urls:
            self.url(r[key], here + (key,))
        status = r.get("status")
        if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
            self.error(here + ("status",), f"must be an HTTP status code (100 to 599), not {status!r}")
        if "headers" in r and self.expect(r["headers"], dict, here + ("headers",), "an object"):
            for name, value in r["headers"].items():
                self.expect(value, str, here + ("headers", name), "a string")
        bodies = [key for key in ("body", "body_file") if key in r]
        if len(bodies) != 1:
            self.error(here, "needs exactly one of body (the response text) and body_file (a file in the bundle)")
        if "body" in r:
            self.expect(r["body"], str, here + ("body",), "a string (the response text)")
        if "body_file" in r:
            self.relative_path(r["body_file"], here + ("body_file",), must_exist=True)


_SECRET_MESSAGE = (
    "remove it: a client secret never travels in a bundle, it is typed into the portal, "
    "which stores it encrypted"
)


def validate_manifest(manifest: dict, files: Mapping[str, bytes] | None = None) -> list[BundleError]:
    """Every structural problem of `manifest`, in document order; [] when it is valid.

    With `files`, paths the manifest names as data (samples' body_file) must exist.
    """
    checker = _Checker(files)
    checker.manifest(manifest)
    return checker.errors
