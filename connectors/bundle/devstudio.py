"""Domo Connector Dev Studio's own layout (its GitHub sync) -> our bundle.

The IDE keeps a connector as flat JSON files: connector.json (everything, in Domo's
shape: `authCodeText`, `processData`, `customAccountFields`, ...), the same content
split into authenticationSection.json, processDataSection.json, uiMetaData.json and
imageSection.json, and the icons as iconWithBackground.png and so on. The mapping of
each key is in docs/bundle-format.md ("Importing a Dev Studio export").

Those exports also hold the developer's stored account values (user name, password,
API key, client secret, custom field values, sometimes only masked or encrypted).
They are never imported as anything, not even as samples: a bundle never carries
credentials. The notes say which keys held one, never the value.

An export the IDE let its developer leave unfinished (no authentication type chosen, a
parameter without a name, a discovery parameter without code) is converted with the
hole left open: the import keeps it as a draft and the completeness list says what is
missing. Only what cannot be read at all is refused, naming the file and JSON path.
"""

from __future__ import annotations

import json
import re
from typing import Any

from . import import_notes as note
from .errors import BundleError
from .import_notes import ImportNote
from .manifest import _HOST, PARAMETER_TYPES, json_path
from .types import DEFAULT_SCRIPTS, ICONS, MANIFEST

SECTIONS = ("uiMetaData.json", "authenticationSection.json", "processDataSection.json", "imageSection.json")
DEVSTUDIO_KEYS = ("authCodeText", "processData", "connectorType", "customAccountFields", "validImages")

# Dev Studio's `type` code -> our auth.method (reference: domo-domain.md section 4).
AUTH_TYPES = {"none": "none", "basic": "username_password", "api": "api_key", "apikey": "api_key",
              "oauth2": "oauth2", "oauth": "oauth2", "custom": "custom"}
PARAMETER_TYPE_CODES = {"dateSelector": "date_selector", **{kind: kind for kind in PARAMETER_TYPES}}
IMAGE_FILES = {
    "iconWithBackground": "icon_with_background",
    "iconWithoutBackground": "icon_without_background",
    "logoWithBackground": "logo_with_background",
    "logoWithoutBackground": "logo_without_background",
}
OAUTH2_KEYS = {  # Dev Studio key -> auth.oauth2 key
    "clientKey": "client_id",
    "authorizationURL": "authorization_url",
    "accessTokenURL": "access_token_url",
    "accesstokenMethod": "token_method",
    "scope": "scope",
    "additionalParameters": "authorization_params",
    "tokenAddlParams": "token_params",
}
# The developer's stored account values, and why each is dropped.
STORED_ACCOUNT_KEYS = ("userName", "password", "apiKey", "clientSecret", "oauthUserName", "oauthPassword",
                       "domoClientId", "domoClientSecret", "accesstoken", "accessToken", "code")
# The IDE's own bookkeeping: meaningless outside Domo, dropped without a word each.
BOOKKEEPING = {
    "guid", "userId", "authorName", "submittedVersion", "submittedMajorVersion", "publishedVersion",
    "reportLength", "images", "validImages", "showAdvanced", "dataProviderCreated", "updateCode",
    "requestingCustomerId", "ownerId", "ownerCustomerId", "parentGuid", "transferUserId",
    "transferCustomerId", "visible", "repository", "$$hashKey", "enableForAppstore",
}
# Keys whose value is not imported (stored credentials, or no equivalent here): a
# difference between two files is never reported as "the value in X was used" for them.
NOT_IMPORTED = {*STORED_ACCOUNT_KEYS, "additionalInfo", "publishPrivate", "visibilityType", "testingProfiles",
                "testingValue", "connectorType"}
HANDLED = {"name", "description", "type", "authCodeText", "processData", "reports", "parameters", "days",
           "customAccountFields", "connectorType", "publishPrivate", "visibilityType", "additionalInfo",
           "testingProfiles", "testingValue", *OAUTH2_KEYS, *STORED_ACCOUNT_KEYS}

_URL_HOST = re.compile(r"""https?://([A-Za-z0-9.-]+(?::[0-9]{1,5})?)(?=[/?#'"`\s]|$)""")
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_$]+")
_SAFE_FILE = re.compile(r"[^A-Za-z0-9_-]+")
_SECRET_FIELD_TYPES = {"password", "secret", "apikey", "api key", "token"}


def is_devstudio_leftover(path: str) -> bool:
    """A Dev Studio section file (accountSection.json, ...) stored before imports dropped them."""
    return "/" not in path and (path in SECTIONS or path.endswith("Section.json"))


def is_devstudio(files: dict[str, bytes]) -> bool:
    """True when the files are a Dev Studio export rather than a bundle of ours."""
    if any(section in files for section in SECTIONS):
        return MANIFEST not in files or "format" not in _loads_quietly(files[MANIFEST])
    manifest = _loads_quietly(files.get(MANIFEST, b"{}"))
    return "format" not in manifest and any(key in manifest for key in DEVSTUDIO_KEYS)


def _loads_quietly(data: bytes) -> dict:
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def convert(files: dict[str, bytes]) -> tuple[dict[str, bytes], list[ImportNote]]:
    """A Dev Studio export's files -> (files in our layout with connector.json, notes for the developer).

    Raises BundleError naming the Dev Studio file and JSON path for what cannot be read.
    The connector.json written may be incomplete (auth.method "" when no type was chosen,
    a parameter named ""); importer.py validates everything else.
    """
    source, origin, differences, holders = _merge_sections(files)
    notes: list[ImportNote] = _differences(source, differences)
    out: dict[str, bytes] = {}
    manifest: dict[str, Any] = {"format": 1, "name": _name(source, origin)}
    if isinstance(source.get("description"), str) and source["description"]:
        manifest["description"] = source["description"]
    manifest["auth"] = _auth(source, origin, notes)
    for key, path in (("authCodeText", DEFAULT_SCRIPTS["authentication"]),
                      ("processData", DEFAULT_SCRIPTS["processdata"])):
        text = _string(source, key, origin)
        if text:
            out[path] = text.encode("utf-8")
    manifest["reports"] = _reports(source, origin)
    parameters, scripts = _parameters(source, origin, notes)
    manifest["parameters"] = parameters
    out.update(scripts)
    manifest["hosts"] = _hosts(out, notes)
    days = source.get("days")
    if isinstance(days, (int, float)) and not isinstance(days, bool) and days >= 0:
        manifest["samples"] = {"days": days}
    out.update(_icons(files, notes))
    _note_no_equivalent(source, origin, notes)
    _note_dropped_credentials(source, holders, notes)
    notes.append(note.not_expressible(
        "Recorded API responses: a Dev Studio export has none. Add samples/ and samples.responses to "
        "connector.json, or the smoke and performance tests have nothing to answer requests."))
    out[MANIFEST] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    # Anything else (accountSection.json, the IDE's other files) may hold stored account
    # values and has no place in a bundle: dropped, and named.
    unknown = sorted(name for name in files if name not in (MANIFEST, *SECTIONS)
                     and not (name.endswith(".png") and name[:-4] in IMAGE_FILES))
    if unknown:
        notes.append(note.not_expressible(
            "Files a Dev Studio export has no place for here: " + ", ".join(unknown)
            + ". Add what the connector needs to the bundle yourself."))
    return out, notes


# -- reading the export -------------------------------------------------------------


def _merge_sections(files: dict[str, bytes]) -> tuple[dict, dict[str, str], list[tuple[str, str, str]],
                                                     dict[str, list[str]]]:
    """connector.json overlaid by each section file.

    origin says which file each key came from; differences lists (key, earlier file,
    later file) where two files disagreed; holders names, for each key, every file that
    held a value for it: a stored credential is dropped from each of them, even when a
    later file has it empty.
    """
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    differences: list[tuple[str, str, str]] = []
    holders: dict[str, list[str]] = {}
    for name in (MANIFEST, *SECTIONS):
        if name not in files:
            continue
        data = _parse(files[name], name)
        for key, value in data.items():
            if value not in (None, "", [], {}):
                holders.setdefault(key, []).append(name)
            if key == "customAccountFields" and _field_values(value):
                holders.setdefault(FIELD_VALUES, []).append(name)
            if key in merged and _comparable(key, merged[key]) != _comparable(key, value) and key not in BOOKKEEPING:
                differences.append((key, origin[key], name))
            merged[key] = value
            origin[key] = name
    return merged, origin, differences, holders


FIELD_VALUES = "customAccountFields values"


def _field_values(fields: Any) -> bool:
    return isinstance(fields, list) and any(isinstance(f, dict) and f.get("value") not in (None, "") for f in fields)


def _comparable(key: str, value: Any) -> Any:
    # Custom account fields' stored values are dropped: only labels and types are imported.
    if key == "customAccountFields" and isinstance(value, list):
        return [{k: v for k, v in item.items() if k != "value"} if isinstance(item, dict) else item for item in value]
    return value


def _differences(source: dict, differences: list[tuple[str, str, str]]) -> list[ImportNote]:
    """Only for values that were imported: a dropped one was not "used" from either file."""
    oauth2 = AUTH_TYPES.get(source.get("type")) == "oauth2" if isinstance(source.get("type"), str) else False
    return [note.converted(f"{key} differs between {first} and {later}; the value in {later} was used.")
            for key, first, later in differences
            if key in HANDLED and key not in NOT_IMPORTED and (oauth2 or key not in OAUTH2_KEYS)]


def _parse(data: bytes, name: str) -> dict:
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BundleError("is not UTF-8 text; save it as UTF-8", name) from None
    except json.JSONDecodeError as exc:
        raise BundleError(f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", name) from None
    except (ValueError, RecursionError) as exc:
        raise BundleError(f"is not valid JSON ({type(exc).__name__})", name) from None
    if not isinstance(value, dict):
        raise BundleError("must hold a JSON object ({...})", name, "$")
    return value


def _where(origin: dict[str, str], key: str) -> str:
    return origin.get(key, MANIFEST)


def _string(source: dict, key: str, origin: dict[str, str]) -> str:
    value = source.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BundleError(f"must be a string, not {type(value).__name__}", _where(origin, key), json_path(key))
    return value


def _name(source: dict, origin: dict[str, str]) -> str:
    name = _string(source, "name", origin).strip()
    if not name:
        raise BundleError("has no connector name; give the connector a name in Dev Studio and export it again",
                          _where(origin, "name"), "$.name")
    return name


def _auth(source: dict, origin: dict[str, str], notes: list[ImportNote]) -> dict:
    code = source.get("type")
    if code in (None, ""):  # never chosen in the IDE: left open, the completeness list asks for it
        return {"method": ""}
    if not isinstance(code, str) or code not in AUTH_TYPES:
        shown = code if isinstance(code, str) else json.dumps(code)[:80]
        notes.append(note.not_expressible(
            f"The authentication type {shown!r} ({_where(origin, 'type')}, $.type) is not one this portal knows "
            f"({', '.join(sorted(AUTH_TYPES))}); choose the authentication method in the editor."))
        return {"method": ""}
    auth: dict[str, Any] = {"method": AUTH_TYPES[code]}
    if auth["method"] == "custom":
        auth["fields"] = _custom_fields(source, origin, notes)
    if auth["method"] == "oauth2":
        oauth2 = {ours: source[theirs] for theirs, ours in OAUTH2_KEYS.items()
                  if isinstance(source.get(theirs), str) and source[theirs]}
        if isinstance(oauth2.get("token_method"), str):
            oauth2["token_method"] = oauth2["token_method"].upper()
        auth["oauth2"] = oauth2
    return auth


def _custom_fields(source: dict, origin: dict[str, str], notes: list[ImportNote]) -> list[dict]:
    raw = source.get("customAccountFields") or []
    where = _where(origin, "customAccountFields")
    if not isinstance(raw, list):
        raise BundleError("must be a list of {label, value, type}", where, "$.customAccountFields")
    fields: list[dict] = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("label"), str) or not item["label"].strip():
            continue  # the IDE keeps an empty {label: null} row in every export
        label = item["label"].strip()
        key = _identifier(label, {field["key"] for field in fields})
        kind = str(item.get("type") or "").strip().lower()
        fields.append({"key": key, "label": label, "secret": kind in _SECRET_FIELD_TYPES})
        if key != label:
            notes.append(note.converted(f"The custom account field {label!r} is read by the scripts as "
                                        f"metadata.account.{key} here; check that the scripts use that name."))
    return fields


def _identifier(label: str, taken: set[str]) -> str:
    words = [word for word in _NOT_IDENTIFIER.split(label) if word]
    key = (words[0][:1].lower() + words[0][1:] + "".join(w[:1].upper() + w[1:] for w in words[1:])) if words else "field"
    if key[0].isdigit():
        key = "f" + key
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}{n}", n + 1
    return candidate


def _reports(source: dict, origin: dict[str, str]) -> list[str]:
    reports = source.get("reports") or []
    if not isinstance(reports, list) or not all(isinstance(report, str) for report in reports):
        raise BundleError("must be a list of report names", _where(origin, "reports"), "$.reports")
    return [report for report in reports if report.strip()]


def _parameters(source: dict, origin: dict[str, str], notes: list[ImportNote]) -> tuple[list[dict], dict[str, bytes]]:
    raw = source.get("parameters") or []
    where = _where(origin, "parameters")
    if not isinstance(raw, list):
        raise BundleError("must be a list of parameters", where, "$.parameters")
    ordered = sorted(enumerate(raw), key=lambda pair: _order(pair[1], pair[0]))
    parameters: list[dict] = []
    scripts: dict[str, bytes] = {}
    for i, item in ordered:
        if not isinstance(item, dict):
            raise BundleError("must be an object like {name, type, ...}", where, json_path("parameters", i))
        code = item.get("type")
        if not isinstance(code, str) or code not in PARAMETER_TYPE_CODES:
            raise BundleError(f"is {code!r}, a parameter type this portal does not know; it takes "
                              + ", ".join(PARAMETER_TYPE_CODES), where, json_path("parameters", i, "type"))
        name = item.get("name")
        if name is None or (isinstance(name, str) and not name.strip()):
            name = ""  # never named in the IDE: kept, and the completeness list asks for a name
        param: dict[str, Any] = {"name": name, "type": PARAMETER_TYPE_CODES[code]}
        if item.get("required") is True:
            param["required"] = True
        if isinstance(item.get("helpText"), str) and item["helpText"]:
            param["help"] = item["helpText"]
        if isinstance(item.get("showWhen"), str) and item["showWhen"]:
            param["show_when"] = item["showWhen"]
        if code == "dropdown":
            param["options"] = [{"name": o.get("name"), "value": o.get("value")}
                                for o in item.get("options") or [] if isinstance(o, dict)]
        if code == "discovery":
            param["discovery"], script = _discovery(item, i, where, set(scripts))
            if script is not None:
                scripts[param["discovery"]["script"]] = script
            else:
                notes.append(note.converted(
                    f"The discovery parameter {_label(name, i)} has no code in the export ({where}, "
                    f"{json_path('parameters', i, 'command')}); write it in {param['discovery']['script']}."))
        parameters.append(param)
    if any(isinstance(p, dict) and p.get("dateSelectorValue") for p in raw) or source.get("testingValue") \
            or source.get("testingProfiles"):
        notes.append(note.not_expressible(
            "Testing profiles and test parameter values (testingProfiles, testingValue): put the values "
            "the sandbox should use in samples.parameters."))
    return parameters, scripts


def _order(item: Any, index: int) -> tuple:
    order = item.get("order") if isinstance(item, dict) else None
    numeric = isinstance(order, (int, float)) and not isinstance(order, bool)
    return (0, order, index) if numeric else (1, 0, index)


def _label(name: Any, i: int) -> str:
    return repr(name) if isinstance(name, str) and name.strip() else f"#{i + 1} (no name yet)"


def _discovery(item: dict, i: int, where: str, taken: set[str]) -> tuple[dict, bytes | None]:
    """{mode, script} and the script's code; None for the code when the export has none."""
    command = item.get("command")
    here = json_path("parameters", i, "command")
    if command is None:
        command = {}
    if not isinstance(command, dict):
        raise BundleError("must be the discovery command {name, code, type}", where, here)
    code = command.get("code")
    if code is not None and not isinstance(code, str):
        raise BundleError(f"must be the discovery script (a string), not {type(code).__name__}", where, here + ".code")
    mode = command.get("type") or "dropdown"
    if mode not in ("dropdown", "tree"):
        raise BundleError(f"is {mode!r}; a discovery parameter is a dropdown or a tree", where, here + ".type")
    stem = _SAFE_FILE.sub("-", str(item.get("name") or "")).strip("-").lower() or f"parameter-{i + 1}"
    path, n = f"discovery/{stem}.js", 2
    while path in taken:
        path, n = f"discovery/{stem}-{n}.js", n + 1
    return {"mode": mode, "script": path}, code.encode("utf-8") if code else None


def _hosts(scripts: dict[str, bytes], notes: list[ImportNote]) -> list[str]:
    """Dev Studio declares no hosts; the scripts' literal URLs are the best first guess."""
    hosts: list[str] = []
    for path in sorted(scripts):
        if path.endswith(".js"):
            for match in _URL_HOST.finditer(scripts[path].decode("utf-8", "replace")):
                host = match.group(1).lower().rstrip(".")
                if _HOST.match(host) and host not in hosts:
                    hosts.append(host)
    if hosts:
        notes.append(note.converted(
            "Hosts, read from the URLs in the scripts (Dev Studio does not declare them): " + ", ".join(hosts)
            + ". Check the list: requests to any other host fail."))
    else:
        notes.append(note.converted("Hosts: Dev Studio does not declare the hosts a connector calls and the "
                                    "scripts name none; add them before submitting."))
    return hosts


def _icons(files: dict[str, bytes], notes: list[ImportNote]) -> dict[str, bytes]:
    icons = {ICONS[ours][0]: files[f"{theirs}.png"] for theirs, ours in IMAGE_FILES.items()
             if f"{theirs}.png" in files}
    missing = [f"{theirs}.png" for theirs in IMAGE_FILES if f"{theirs}.png" not in files]
    if missing:
        notes.append(note.converted("Icons: the export has no " + ", ".join(missing)
                                    + "; add the icons before submitting."))
    return icons


def _note_no_equivalent(source: dict, origin: dict[str, str], notes: list[ImportNote]) -> None:
    kind = source.get("connectorType")
    if kind not in (None, "", "datagrid"):
        notes.append(note.not_expressible(
            f"connectorType {kind!r}: this portal publishes data connectors (datagrid); the scripts were "
            "imported as they are."))
    if source.get("publishPrivate") is not None or source.get("visibilityType"):
        notes.append(note.not_expressible("The visibility (publishPrivate, visibilityType): you choose it when "
                                          "you submit."))
    others = sorted(key for key, value in source.items()
                    if key not in HANDLED and key not in BOOKKEEPING and value not in (None, "", [], {}, False))
    if others:
        notes.append(note.not_expressible("Keys with no equivalent here: " + ", ".join(others) + "."))


def _note_dropped_credentials(source: dict, holders: dict[str, list[str]], notes: list[ImportNote]) -> None:
    """One note per key that held a stored value, naming every file that held one."""
    keys = [*STORED_ACCOUNT_KEYS, FIELD_VALUES]
    if AUTH_TYPES.get(source.get("type") if isinstance(source.get("type"), str) else "") != "oauth2":
        keys.append("clientKey")  # the OAuth 2.0 client ID, a stored account value anywhere else
    for key in keys:
        if key in holders:
            notes.append(note.dropped(key, ", ".join(holders[key])))
    if "additionalInfo" in holders:
        notes.append(note.dropped("additionalInfo", ", ".join(holders["additionalInfo"]) + "; it may hold test "
                                  "credentials, so Additional Instructions are typed when you submit and stored "
                                  "encrypted"))
