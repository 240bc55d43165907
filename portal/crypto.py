"""Secrets at rest: Fernet with key rotation.

Keys live in settings (from the environment), never in the database. The first key
encrypts; every key decrypts, so a new key can be put in front and old rows still read.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ValueError("A secret could not be decrypted: FIELD_ENCRYPTION_KEYS lacks the key it was written with.") from None


def rotate(token: str) -> str:
    return _current().rotate(token.encode("ascii")).decode("ascii")
