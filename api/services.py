"""Creating and revoking personal access tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from portal.errors import PortalError
from portal.safe_input import control_character_problem

# Tokens say what they are, so a secret scanner (or a person) can recognise a leaked one.
TOKEN_PREFIX = "cpp_"
MAX_ACTIVE_TOKENS = 20


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token; the plaintext is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise PortalError("Give the token a name, e.g. the CI pipeline that will use it.")
    if len(name) > 100:
        raise PortalError("Keep the token's name to 100 characters or fewer.")
    problem = control_character_problem(name)
    if problem:
        raise PortalError(f"The token's name {problem}.")
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise PortalError(f"You already have {MAX_ACTIVE_TOKENS} active tokens; revoke one you no longer use.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(user=user, name=name, token_hash=hash_token(token), prefix=token[:12])
    return record, token


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    # Revoked rows are kept (not deleted) so the settings page can show when a token stopped working.
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    if not updated:
        raise PortalError("This token was already revoked.")
    return token


def api_token_authenticate(token: str) -> ApiToken | None:
    """The active token for this plaintext, its user loaded; None when unknown or revoked."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    record = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    now = timezone.now()
    # Write last_used_at at most once a minute: CI polls, and every write takes the SQLite lock.
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        record.last_used_at = now
    return record
