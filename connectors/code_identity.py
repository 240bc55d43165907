"""What a version's code is: the parts that decide what it does with an account and where it goes.

Two versions whose code is the same may share the engineers' Security test and Code review
(review.carry_over, issue 21 item 3). "The same" is decided on these parts of the snapshot
(bundle-format.md), everything else being words, pictures or test data:

- every script, by its role (authentication, processdata, discovery:<parameter>), byte for
  byte once line endings are LF (an editor that saves CRLF changes no behaviour; a space
  does, and counts);
- the hosts the scripts may reach, as a set (order, duplicates and letter case are not
  behaviour: hosts are read as the URL Standard reads them, lower case);
- how the account signs in: the method, the custom fields' keys and which are secret, and
  the OAuth 2.0 settings (its URLs receive the credentials);
- the parameters as the scripts receive them: name, type, the options' values and the
  discovery mode.

Not code, so not compared: the name, the description, the icons, the reports' names, the
parameters' help, labels, "required" and show_when, the custom fields' labels, the samples
(the automated and performance tests run again on every version) and the Additional
Instructions.
"""

from __future__ import annotations

from connectors.bundle.types import Bundle


def _lf(source: str | None) -> str | None:
    return None if source is None else source.replace("\r\n", "\n").replace("\r", "\n")


def _parameter(parameter: dict) -> dict:
    discovery = parameter.get("discovery") or {}
    return {
        "type": parameter.get("type"),
        "options": [option.get("value") for option in parameter.get("options") or []],
        "discovery": discovery.get("mode"),
    }


def _auth(auth: dict) -> dict:
    return {
        "method": auth.get("method"),
        "fields": sorted((str(f.get("key")), bool(f.get("secret"))) for f in auth.get("fields") or []),
        "oauth2": auth.get("oauth2") or {},
    }


def code_of(manifest: dict, scripts: dict[str, str]) -> dict:
    """The code of a snapshot (Submission.manifest and .scripts), as one comparable value."""
    manifest = manifest or {}
    paths = Bundle(manifest=manifest).script_paths()
    return {
        "scripts": {role: _lf((scripts or {}).get(path)) for role, path in paths.items()},
        "hosts": sorted({str(host).strip().lower() for host in manifest.get("hosts") or []}),
        "auth": _auth(manifest.get("auth") or {}),
        "parameters": {str(p.get("name")): _parameter(p) for p in manifest.get("parameters") or []},
    }


def code_changes(old: dict, new: dict) -> list[str]:
    """What differs between two codes (code_of), in words: empty when they are the same."""
    changes = []
    roles = sorted(set(old["scripts"]) | set(new["scripts"]))
    changes += [f"the {role} script" for role in roles if old["scripts"].get(role) != new["scripts"].get(role)]
    if old["hosts"] != new["hosts"]:
        changes.append("the hosts")
    if old["auth"] != new["auth"]:
        changes.append("the authentication settings")
    if old["parameters"] != new["parameters"]:
        changes.append("the parameters")
    return changes
