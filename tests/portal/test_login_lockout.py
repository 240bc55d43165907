"""Sign-in throttling: repeated wrong passwords lock the username; an engineer unlocks it."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate

LOGIN = "/accounts/login/"
ADMIN_LIST = "/admin/axes/accessattempt/"


def _sign_in(client, password, username="alice"):
    return client.post(LOGIN, {"username": username, "password": password})


def _lock(client, username="alice"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "wrong", username)


def test_it_refuses_the_right_password_after_repeated_failures(client, alice):
    for _ in range(30):
        _sign_in(client, "wrong")
    response = _sign_in(client, "pw")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_tells_the_person_plainly_why_and_for_how_long(client, alice):
    _lock(client)
    body = _sign_in(client, "pw").content.decode()
    assert "Sign-in locked" in body
    assert f"{settings.AXES_FAILURE_LIMIT} wrong passwords in a row" in body and "<strong>alice</strong>" in body
    assert "30 minutes" in body and "ask a review engineer to unlock" in body


def test_it_locks_one_username_not_everyone(client, alice, bob):
    _lock(client)
    assert _sign_in(client, "pw", "bob").status_code == 302


def test_it_locks_the_username_whatever_address_the_guesses_come_from(client, alice):
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "alice", "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{i}")
    assert client.post(LOGIN, {"username": "alice", "password": "pw"}, REMOTE_ADDR="10.9.9.9").status_code == 429


def test_it_forgets_failures_after_a_successful_sign_in(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "wrong")
    assert _sign_in(client, "pw").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "wrong")
    assert _sign_in(client, "pw").status_code == 302


def test_it_locks_the_admin_sign_in_too(client, erin):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "erin", "password": "wrong"})
    assert client.post("/admin/login/", {"username": "erin", "password": "pw"}).status_code == 429


def test_it_lets_an_engineer_unlock_an_account_in_the_admin(client, alice, erin):
    _lock(client)
    engineer = type(client)()
    engineer.force_login(erin)
    listing = engineer.get(ADMIN_LIST).content.decode()
    assert "alice" in listing
    attempt = AccessAttempt.objects.get(username="alice")
    response = engineer.post(ADMIN_LIST, {"action": "unlock", "_selected_action": [attempt.pk]}, follow=True)
    assert "Unlocked alice" in response.content.decode()
    assert _sign_in(client, "pw").status_code == 302


def test_it_hides_unlock_from_staff_who_are_not_engineers(client, alice, django_user_model):
    _lock(client)
    staff = django_user_model.objects.create_user("sam", password="pw", is_staff=True)
    other = type(client)()
    other.force_login(staff)
    assert other.get(ADMIN_LIST).status_code == 403
    attempt = AccessAttempt.objects.get(username="alice")
    other.post(ADMIN_LIST, {"action": "unlock", "_selected_action": [attempt.pk]})
    assert AccessAttempt.objects.filter(username="alice").exists()


def test_it_still_authenticates_where_there_is_no_request(alice):
    # manage.py shell, management commands: nothing to throttle, nothing refused.
    assert authenticate(username="alice", password="pw") == alice


@pytest.mark.parametrize("field", ["username", "failures_since_start"])
def test_it_keeps_the_lockout_rows_read_only(client, alice, erin, field):
    _lock(client)
    engineer = type(client)()
    engineer.force_login(erin)
    attempt = AccessAttempt.objects.get(username="alice")
    engineer.post(f"{ADMIN_LIST}{attempt.pk}/change/", {field: "0"})
    attempt.refresh_from_db()
    assert attempt.username == "alice" and attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
