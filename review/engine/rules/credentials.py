"""hardcoded-credential (credential-logging is judged by the runs: rules/data_flow.py)."""

import base64
import binascii
import re
from bisect import bisect_left

from review.engine.registry import Hit, rule
from review.engine.scripts import NOT_CONSTANT, fold_string, member_path
from review.engine.secret_scanner import MAY_HOLD_A_KEY, scan_for_keys

CREDENTIAL_NAME = re.compile(
    r"(password|passwd|pwd|passphrase|secret|token|apikey|accesskey|privatekey|credential|authkey|signingkey)"
)
# A name ending like this holds something about a credential, not the credential.
DESCRIBES_A_CREDENTIAL = re.compile(
    r"(url|uri|endpoint|path|type|name|field|label|header|param|params|parameter|id|expiry|expires|expiresin"
    r"|length|placeholder|prompt|message|msg|help|hint|text|format|regex|pattern)s?$"
)
PLACEHOLDER = re.compile(
    r"^(<.*>|\{\{.*\}\}|\$\{.*\}|%.*%|x+|\*+|\.+|-+|your.*|my.*|changeme|change_me|placeholder|example.*|todo|tbd"
    r"|none|null|undefined|test|dummy|redacted|replace.?me|secret|password|token|api.?key|bearer|basic)$",
    re.IGNORECASE,
)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
AUTH_HEADERS = {"authorization", "proxy-authorization", "x-api-key", "api-key", "apikey", "x-auth-token",
                "x-access-token", "token"}
AUTH_SCHEME = re.compile(r"^(basic|bearer|token|apikey|digest)\s+", re.IGNORECASE)
BASIC_TOKEN = re.compile(r"\bBasic\s+([A-Za-z0-9+/]{8,}={0,2})")
ENCODERS = {"DOMO.b64EncodeUnicode", "btoa"}
HMACS = {"DOMO.hmacSHA1", "DOMO.hmacSHA256"}
LOGGERS = re.compile(r"^(DOMO\.log|console\.\w+)$")
HINT = "Read credentials from metadata.account; the portal stores them encrypted per account."


def normalised(name):
    return re.sub(r"[^a-z0-9]", "", name.lower())


def is_credential_name(name):
    flat = normalised(name)
    return bool(CREDENTIAL_NAME.search(flat)) and not DESCRIBES_A_CREDENTIAL.search(flat)


def is_secret_like(value, name=""):
    value = value.strip()
    if len(value) < 4 or re.search(r"\s", value) or "://" in value or value.startswith("/"):
        return False
    if PLACEHOLDER.match(value) or UUID.match(value):
        return False
    return normalised(value) != normalised(name)


def basic_pair(token):
    """'user:pass' if a Basic token decodes to a pair with a real password, else None."""
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return decoded if _has_password(decoded) else None


def _has_password(pair):
    user, sep, password = pair.partition(":")
    return bool(sep) and is_secret_like(password)


def _ast_hits(script):
    def hit(node, message):
        line, column = script.place(node)
        return Hit(script.path, line, column, message)

    for node in script.nodes("variable_declarator", "assignment_expression", "pair"):
        if node.type == "variable_declarator":
            target, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        elif node.type == "assignment_expression":
            target, value = node.child_by_field_name("left"), node.child_by_field_name("right")
        else:
            target, value = node.child_by_field_name("key"), node.child_by_field_name("value")
        if target is None or value is None:
            continue
        name = fold_string(script, target) if target.type == "string" else script.node_text(target)
        name = name.split(".")[-1] if name is not NOT_CONSTANT else ""
        literal = fold_string(script, value)
        if literal is not NOT_CONSTANT and is_credential_name(name) and is_secret_like(literal, name):
            yield hit(value, f"A literal value is given to {name}.")

    for call in script.calls():
        callee = call.callee
        args = [fold_string(script, a) for a in call.args]
        if callee == "httprequest.addHeader" and len(args) >= 2 and isinstance(args[0], str):
            value = args[1]
            if args[0].lower() in AUTH_HEADERS and value is not NOT_CONSTANT:
                if is_secret_like(AUTH_SCHEME.sub("", value)):
                    yield hit(call.node, f"The {args[0]} header is given a literal token.")
        elif callee in ENCODERS and args and isinstance(args[0], str) and _has_password(args[0]):
            yield hit(call.node, f"{callee}() encodes a literal user:password pair.")
        elif callee in HMACS and len(args) >= 2 and isinstance(args[1], str) and is_secret_like(args[1]):
            yield hit(call.node, f"{callee}() is given a literal signing key.")

    for node in script.nodes("string", "template_string"):
        for match in BASIC_TOKEN.finditer(script.node_text(node)):
            if basic_pair(match.group(1)):
                yield hit(node, "A literal Basic authorization token (it decodes to user:password).")


@rule("hardcoded-credential", phase="automated", severity="error", hint=HINT)
def hardcoded_credential(ctx):
    for script in ctx.scripts:
        hits = list(_ast_hits(script)) if script.parses else []
        lines_hit = {h.line for h in hits}
        yield from hits
        # Known key formats also in comments and in scripts that do not parse.
        for line, secret_type in scan_for_keys(script.text, _literal_lines(script) if script.parses else None):
            if line not in lines_hit:
                lines_hit.add(line)
                yield Hit(script.path, line, None, f"{secret_type} found in the code.")


def _literal_lines(script) -> set[int]:
    """The lines where a string, template string, regular expression or comment may hold a key."""
    lines = set()
    for node in script.nodes("string", "template_string", "regex", "comment"):
        text = script.node_text(node)
        scheme = text.find("://")
        if scheme >= 0 and "@" not in text:
            # A URL's host and path are names (/api/opportunities.csv), not keys; its
            # query may carry one (?key=...). With an @, user:pass@ is judged whole.
            text = text[:scheme] + text[text.find("?", scheme) + 1:] if "?" in text[scheme:] else text[:scheme]
        if MAY_HOLD_A_KEY.search(text):
            lines.update(range(node.start_point[0] + 1, node.end_point[0] + 2))
    return lines


def _positions_reading_the_account(script):
    """Start bytes of every `metadata.account...` read, in order."""
    return [node.start_byte for node in script.nodes("member_expression", "subscript_expression")
            if (path := member_path(script, node)) and (path == "metadata.account" or path.startswith("metadata.account."))]


def _within(positions, node):
    """Some position falls inside the node: one binary search, not a walk of its subtree
    (declarators nest, and walking each one's subtree would be quadratic)."""
    i = bisect_left(positions, node.start_byte)
    return i < len(positions) and positions[i] < node.end_byte
