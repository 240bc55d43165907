"""manage.py create_api_token USERNAME: prints only the token, once."""

import pytest
from django.core.management import CommandError, call_command

from api.models import ApiToken
from api.services import hash_token
from tests.api.conftest import ApiClient


def test_it_prints_only_a_working_token(alice, capsys):
    call_command("create_api_token", "alice")
    out = capsys.readouterr().out
    token = out.strip()
    assert out == token + "\n" and " " not in token
    assert ApiToken.objects.get(user=alice).token_hash == hash_token(token)
    assert ApiClient(token).get("/api/v1/submissions/1").status_code == 404


def test_it_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("create_api_token", "nobody")
