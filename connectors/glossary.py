"""The parts of a connector by the names the editor shows them: the one glossary the editor's
labels, the completeness list and the errors take their words from (issue 20, item 12).

Keys are MissingPart.field keys ("scripts.processdata", "icons.logo_without_background",
"auth.oauth2.client_id"): the completeness check, the editor's anchors and the API share them.
This module imports nothing, so the bundle layer (connectors.bundle.completeness) may read it.
"""

from __future__ import annotations

import re

PARTS = {
    "name": "Name",
    "description": "Description",
    "auth_method": "Authentication method",  # the editor's field
    "auth.method": "Authentication method",  # the completeness list's key (a Dev Studio draft with none chosen)
    "auth.fields": "Custom account fields",
    "auth.oauth2.client_id": "OAuth 2.0 client ID",
    "auth.oauth2.client_secret": "OAuth 2.0 client secret",
    "auth.oauth2.authorization_url": "OAuth 2.0 authorization URL",
    "auth.oauth2.access_token_url": "OAuth 2.0 access token URL",
    "auth.oauth2.token_method": "OAuth 2.0 token request method",
    "auth.oauth2.scope": "OAuth 2.0 scope",
    "auth.oauth2.authorization_params": "Extra authorization parameters",
    "auth.oauth2.token_params": "Extra token parameters",
    "hosts": "Hosts",
    "reports": "Reports",
    "parameters": "Parameters",
    "scripts.authentication": "Authentication script",
    "scripts.processdata": "Process-data script",
    "icons.icon_with_background": "Icon with background",
    "icons.icon_without_background": "Icon without background",
    "icons.logo_with_background": "Logo with background",
    # The 1024x512 one: a banner, as domain.md names it (it was "Logo without background" in
    # the completeness list and "Logo banner without background" in the editor).
    "icons.logo_without_background": "Logo banner without background",
    "samples": "Samples",
}

# The fields of one parameter row and of one custom account field, as the editor labels them.
PARAMETER_PARTS = {
    "name": "Name",
    "type": "Type",
    "required": "Required",
    "help": "Help",
    "options": "Options",
    "discovery": "Discovery script",
    "show_when": "Show when",
}
ACCOUNT_FIELD_PARTS = {"key": "Key", "label": "Label", "secret": "Secret"}

_INDEXED = re.compile(r"^parameters\[(\d+)\](?:\.(.*))?$")


def part_name(field: str) -> str:
    """The name of the part a MissingPart.field points at: "Logo banner without background",
    "Parameter 2", "Discovery script of parameter 2"; a key it does not know comes back as it is."""
    return known_part(field) or field


def known_part(field: str) -> str | None:
    """part_name() of `field` or of the nearest part that holds it ("samples.responses[2].url"
    is in "Samples"); None for what the editor does not show (like connector.json's "format")."""
    indexed = _INDEXED.match(field)
    if indexed:
        number, rest = int(indexed[1]) + 1, indexed[2]
        if rest and rest.startswith("discovery"):
            return f"Discovery script of parameter {number}"
        return f"Parameter {number}"
    while field:
        if field in PARTS:
            return PARTS[field]
        field = re.sub(r"(\.[^.\[]*|\[\d*\])$", "", field)
        if not re.search(r"[.\[]", field) and field not in PARTS:
            return None
    return None


def in_a_sentence(name: str) -> str:
    """A part's name inside a sentence: "the logo banner without background", while a name
    that starts with an acronym or a brand keeps its capitals ("OAuth 2.0 client ID")."""
    first = name.split(" ", 1)[0]
    return name if any(ch.isupper() for ch in first[1:]) else name[:1].lower() + name[1:]
