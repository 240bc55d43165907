"""Labels people read for codes of the bundle format, shared by forms and pages."""

from connectors.bundle.manifest import PARAMETER_TYPES
from connectors.bundle.types import ICONS
from connectors.glossary import PARTS

PARAMETER_TYPE_LABELS = {
    "string": "String",
    "integer": "Integer",
    "text": "Text",
    "dropdown": "Dropdown (fixed options)",
    "date_selector": "Date selector",
    "discovery": "Discovery (options from a script)",
}
assert set(PARAMETER_TYPE_LABELS) == set(PARAMETER_TYPES)

# The icons' names come from the one glossary (connectors.glossary).
ICON_LABELS = {key: PARTS[f"icons.{key}"] for key in ICONS}


# What each sign-in method puts in `metadata.account`, by the names the scripts read
# (review.engine.account_secrets knows the same names as secrets). An API-key connector
# that read metadata.account.key sent "key=undefined": the editor says the names.
ACCOUNT_KEYS = {
    "none": (),
    "username_password": ("username", "password"),
    "api_key": ("apikey",),
    "oauth2": ("accesstoken",),
}
SAMPLE_ACCOUNT_VALUES = {"username": "demo-user", "password": "demo-password-0000",
                         "apikey": "demo-key-0123456789", "accesstoken": "demo-token-0123456789"}


def account_keys(auth_method: str, auth_fields: list | None = None) -> list[str]:
    if auth_method == "custom":
        return [f["key"] for f in auth_fields or [] if isinstance(f, dict) and f.get("key")]
    return list(ACCOUNT_KEYS.get(auth_method, ()))


def samples_template(auth_method: str, auth_fields: list | None, host: str, report: str) -> dict:
    """A Samples box to start from: fake account values under the names the scripts read,
    the report, and one recorded response for the first host."""
    return {
        "account": {key: SAMPLE_ACCOUNT_VALUES.get(key, f"demo-{key}") for key in account_keys(auth_method, auth_fields)},
        "parameters": {},
        "days": 7,
        "responses": [{"method": "GET", "url": f"https://{host or 'api.example.com'}/v1/{(report or 'items').lower()}",
                       "status": 200, "body": '[{"id": 1, "name": "First"}]'}],
    }


# A review state in a sentence, after "this one is" / "this submission is": the states'
# labels read as names ("this submission is changes requested").
STATE_IN_A_SENTENCE = {
    "draft": "a draft",
    "submitted": "submitted",
    "in_review": "in review",
    "approved": "approved",
    "changes_requested": "sent back with changes requested",
    "withdrawn": "withdrawn",
    "taken_down": "taken down by an engineer",
    "unpublished": "unpublished by its developers",
    "rolled_back": "rolled back to an earlier version",
}
