"""The Additional Instructions: decrypted only on an explicit POST, every read logged."""

from review.models import InstructionsAccess
from tests.review.admin_support import change_url, in_review, reviewing  # noqa: F401


def _url(submission):
    return f"/admin/connectors/submission/{submission.pk}/instructions/"


def test_it_keeps_them_off_the_submission_page(client, erin, reviewing):
    client.force_login(erin)
    html = client.get(change_url(reviewing)).content.decode()
    assert "s3cret" not in html
    assert "Show the Additional Instructions" in html
    assert not InstructionsAccess.objects.exists()


def test_it_shows_them_on_a_post_and_logs_who_and_when(client, erin, reviewing):
    client.force_login(erin)
    response = client.post(_url(reviewing))
    assert response.status_code == 200
    assert "user: demo / pw: s3cret" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    read = InstructionsAccess.objects.get()
    assert (read.submission, read.user, read.username) == (reviewing, erin, "erin")
    assert read.accessed_at is not None


def test_it_logs_every_read(client, erin, reviewing):
    client.force_login(erin)
    client.post(_url(reviewing))
    client.post(_url(reviewing))
    assert InstructionsAccess.objects.filter(submission=reviewing, user=erin).count() == 2
    # The page then says who read them.
    assert "erin (" in client.get(change_url(reviewing)).content.decode()


def test_it_refuses_a_get(client, erin, reviewing):
    client.force_login(erin)
    assert client.get(_url(reviewing)).status_code == 405
    assert not InstructionsAccess.objects.exists()


def test_it_answers_404_for_an_unknown_submission(client, erin, db):
    client.force_login(erin)
    assert client.post("/admin/connectors/submission/999999/instructions/").status_code == 404
    assert not InstructionsAccess.objects.exists()


def test_it_offers_no_button_when_there_are_none(client, erin, import_connector, alice):
    submission = in_review(import_connector(), alice, instructions="")
    client.force_login(erin)
    html = client.get(change_url(submission)).content.decode()
    assert "Show the Additional Instructions" not in html and "The developer gave none." in html


def test_it_shows_the_access_log_to_engineers(client, erin, reviewing):
    client.force_login(erin)
    client.post(_url(reviewing))
    html = client.get("/admin/review/instructionsaccess/").content.decode()
    assert "erin" in html and str(reviewing) in html
