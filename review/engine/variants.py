"""The review's variant runs (bundle-format.md, "Data flow": dependence, not equality).

Besides the run with the sample values, each planned run is run again with one input
changed: every secret replaced by a fresh value of the same shape, and, per site the
sample run read from, that site's sample responses perturbed in place (every string and
number changed, the structure kept). What differs between a variant and the sample run
came from the input that was changed (review/engine/dataflow.py compares them).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from review.engine import review_limit
from review.engine.account_secrets import account_secrets, secret_forms
from review.engine.account_values import fresh_account, secret_fields
from review.engine.sites import site_of_url

SECRETS = "secrets"
SITE_PREFIX = "site:"
LOWER, UPPER, DIGITS = "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
_NEXT = str.maketrans(LOWER + UPPER + DIGITS, LOWER[1:] + LOWER[0] + UPPER[1:] + UPPER[0] + DIGITS[1:] + DIGITS[0])
URL_HEAD = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*")
# A tag: from each "<" the scan stops at the next "<" or ">", so the split is linear even
# on hostile markup (">([^<]+)<" rescanned to the end from every ">" of "<a>a>a>...").
XML_TAG = re.compile(r"(<[^<>]*>)")


def secrets_setup(manifest: dict, setup: dict) -> dict | None:
    """The setup of the secret variant, or None when the auth method declares no secret."""
    if not secret_fields(manifest):
        return None
    account = setup["account"]
    fresh = fresh_account(manifest, account)
    sample_forms = secret_forms(manifest, account)
    fresh_forms = secret_forms(manifest, fresh)
    aliases = []
    for name, forms in fresh_forms.items():
        # Built in one order for both accounts, the forms pair up by position; the
        # longest first, so a form inside another is swapped after it.
        pairs = [[new, old] for new, old in zip(forms, sample_forms.get(name) or []) if new != old]
        aliases += sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)
    masks = [form for forms in account_secrets(manifest, fresh).values() for form in forms]
    return {**setup, "account": fresh, "masks": masks, "replay_aliases": aliases}


def site_setup(setup: dict, site: str) -> dict:
    """The setup with `site`'s sample responses perturbed in place."""
    responses = []
    for response in setup["responses"]:
        if _site_of_sample(response) == site:
            response = perturbed_response(response)
        responses.append(response)
    return {**setup, "responses": responses}


def _site_of_sample(response: dict) -> str | None:
    url = response.get("url") or response.get("url_prefix")
    return site_of_url(str(url)) if url else None


def perturbed_response(response: dict) -> dict:
    """Status, header values and body changed in place; method, URL and matching kept."""
    out = dict(response)
    status = response.get("status", 200)
    if isinstance(status, int):
        # A success becomes a failure and a failure a success: what a script decides by
        # the status is then seen to depend on it.
        out["status"] = 503 if 200 <= status < 300 else 200
    if isinstance(response.get("headers"), dict):
        out["headers"] = {k: perturbed_text(str(v)) for k, v in response["headers"].items()}
    out["body"] = perturbed_body(str(response.get("body") or ""))
    return out


def perturbed_body(body: str) -> str:
    stripped = body.lstrip()
    # Nested past what the review reads (review-limit says so): changed as text, which keeps
    # every bracket and quote, instead of a recursive parse.
    if stripped[:1] in ("{", "[") and review_limit.json_depth(body) <= review_limit.MAX_SAMPLE_DEPTH:
        try:
            return json.dumps(_perturbed_json(json.loads(body)))
        except ValueError:
            pass
    if stripped[:1] == "<":
        # XML: the text between tags changes, the tags (the structure) stay.
        pieces = XML_TAG.split(body)
        return "".join(piece if i % 2 else perturbed_text(piece) for i, piece in enumerate(pieces))
    return perturbed_text(body)


def _perturbed_json(value):
    if isinstance(value, dict):
        return {k: _perturbed_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_perturbed_json(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value + 1.5
    if isinstance(value, str):
        return perturbed_text(value)
    return value


def perturbed_text(text: str) -> str:
    """Every ASCII letter and digit moved one place in its class; a URL keeps its scheme and
    host, so a link still goes where it went (only what it carries changes)."""
    head = URL_HEAD.match(text)
    if head and urlsplit(head.group(0)).hostname:
        return head.group(0) + text[head.end():].translate(_NEXT)
    return text.translate(_NEXT)
