"""The account every run is given (bundle-format.md, "Data flow"): every field the auth
method declares has a value, the sample's when it gives one, otherwise one generated
here; a secret never runs as `undefined` or empty. And the fresh secrets of the
review's secret variant: the same shape (length and alphabet), every letter and digit
changed, so a value that differs between the two runs came from the secret.

Generated values are derived from the field's name, not drawn at random: a review of
the same bundle gives the same runs, and so the same findings, every time.
"""

from __future__ import annotations

import string
from functools import lru_cache

GENERATED_LENGTH = 24
CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits)


def declared_fields(manifest: dict) -> dict[str, bool]:
    """metadata.account key -> whether it is a secret, for the manifest's auth method."""
    auth = manifest.get("auth") or {}
    method = auth.get("method")
    if method == "username_password":
        return {"username": False, "password": True}
    if method == "api_key":
        return {"apikey": True}
    if method == "oauth2":
        return {"accesstoken": True}
    if method == "custom":
        return {str(f["key"]): bool(f.get("secret")) for f in auth.get("fields") or []
                if isinstance(f, dict) and isinstance(f.get("key"), str) and f.get("key")}
    return {}


def run_account(manifest: dict) -> dict:
    """The sample account with a value for every declared field (generated where missing)."""
    account = dict((manifest.get("samples") or {}).get("account") or {})
    for key, secret in declared_fields(manifest).items():
        value = account.get(key)
        if not isinstance(value, str) or not value:
            account[key] = _generated(key, secret)
    return account


def secret_fields(manifest: dict) -> list[str]:
    return [key for key, secret in declared_fields(manifest).items() if secret]


def fresh_account(manifest: dict, account: dict) -> dict:
    """`account` with every secret replaced by a fresh value of the same shape."""
    fresh = dict(account)
    for key in secret_fields(manifest):
        fresh[key] = fresh_value(str(account[key]), key)
    return fresh


def fresh_value(value: str, salt: str = "") -> str:
    """A private key in PEM form: a fresh key of the same kind and size, which signs as
    the sample key does. Anything else: same length, each letter and digit replaced by another of its class; the rest kept.

    A value with no letter or digit ("----") cannot keep its alphabet and still change:
    it becomes letters of its length.
    """
    if "PRIVATE KEY-----" in value:
        key = _fresh_private_key(value)
        if key is not None:
            return key
    stream = _stream(f"fresh:{salt}:{value}")
    out = []
    for char in value:
        alphabet = next((c for c in CLASSES if char in c), None)
        if alphabet is None:
            out.append(char)
            continue
        step = 1 + next(stream) % (len(alphabet) - 1)  # never 0: every such character changes
        out.append(alphabet[(alphabet.index(char) + step) % len(alphabet)])
    fresh = "".join(out)
    if fresh == value:
        fresh = "".join(string.ascii_lowercase[next(stream) % 26] for _ in value) or "x"
    return fresh


def _generated(key: str, secret: bool) -> str:
    stream = _stream(f"generated:{key}")
    alphabet = string.ascii_letters + string.digits
    body = "".join(alphabet[next(stream) % len(alphabet)] for _ in range(GENERATED_LENGTH))
    return body if secret else f"reviewer-{body[:8].lower()}"


def _stream(seed: str):
    """Bytes from a generator seeded by the text: the same for the same seed in every
    process (random seeds a str through SHA-512; hashlib stays out of review_bundle's start)."""
    import random

    generator = random.Random(seed)
    while True:
        yield generator.randrange(256)


@lru_cache(maxsize=16)
def _fresh_private_key(pem: str) -> str | None:
    """A new key like the PEM one (RSA of its size, EC on its curve), in the same PEM
    layout; None when the sample is not a key that can be read (it then keeps its shape)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    try:
        sample = serialization.load_pem_private_key(pem.strip().encode(), password=None)
    except (ValueError, TypeError):
        return None
    if isinstance(sample, rsa.RSAPrivateKey):
        fresh = rsa.generate_private_key(public_exponent=65537, key_size=sample.key_size)
    elif isinstance(sample, ec.EllipticCurvePrivateKey):
        fresh = ec.generate_private_key(sample.curve)
    else:
        return None
    layout = serialization.PrivateFormat.TraditionalOpenSSL if "BEGIN RSA PRIVATE KEY" in pem or \
        "BEGIN EC PRIVATE KEY" in pem else serialization.PrivateFormat.PKCS8
    text = fresh.private_bytes(serialization.Encoding.PEM, layout, serialization.NoEncryption()).decode()
    return text if pem.endswith("\n") else text.rstrip("\n")
