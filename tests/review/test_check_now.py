"""Check now: the automated checks on the saved draft, queued as a django-q2 task and polled.

Tests run django-q2 in sync mode (portal.test_settings), so the task runs inline and
its result is stored exactly as a worker would store it.
"""

import time
from types import SimpleNamespace

from django.urls import reverse

from connectors.models import Submission
from review.views import check as check_views

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_it_shows_the_findings_at_their_lines(client, alice, import_connector):
    connector = import_connector("sales-crm-xhr")
    client.force_login(alice)
    response = client.post(reverse("review:check_now", args=[connector.pk]), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-verdict="fail"' in body
    assert "no-xmlhttprequest" in body
    assert 'data-goto-file="processdata.js"' in body
    assert "XMLHttpRequest" in body  # the quoted source line
    assert "nothing was submitted" in body
    assert not Submission.objects.exists()


def test_it_passes_a_clean_connector(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    body = client.post(reverse("review:check_now", args=[connector.pk]), **HTMX).content.decode()
    assert 'data-verdict="pass"' in body


def test_it_queues_the_engine_as_a_task_not_in_the_web_process(client, alice, import_connector, monkeypatch):
    queued = []
    monkeypatch.setattr(check_views, "async_task", lambda func, *args, **kw: queued.append((func, args)) or "t-1")
    monkeypatch.setattr(check_views, "fetch", lambda task_id: None)
    connector = import_connector("sales-crm")
    client.force_login(alice)
    body = client.post(reverse("review:check_now", args=[connector.pk]), **HTMX).content.decode()
    assert queued == [("review.tasks.check_draft", (connector.pk,))]
    # Still running: the partial polls itself.
    assert 'hx-trigger="every 1s"' in body
    assert reverse("review:check_result", args=[connector.pk]) in body


def test_it_says_when_no_worker_picks_the_check_up(client, alice, import_connector, monkeypatch):
    monkeypatch.setattr(check_views, "async_task", lambda *a, **kw: "t-2")
    monkeypatch.setattr(check_views, "fetch", lambda task_id: None)
    connector = import_connector("sales-crm")
    client.force_login(alice)
    client.post(reverse("review:check_now", args=[connector.pk]), **HTMX)
    session = client.session
    key = check_views.check_session_key(connector.pk)
    session[key] = {**session[key], "started": time.time() - check_views.CHECK_PATIENCE_SECONDS - 1}
    session.save()
    body = client.get(reverse("review:check_result", args=[connector.pk])).content.decode()
    assert "no worker has started them" in body and "every 1s" not in body


def test_it_says_the_checks_could_not_run_when_the_task_failed(client, alice, import_connector, monkeypatch):
    monkeypatch.setattr(check_views, "async_task", lambda *a, **kw: "t-3")
    monkeypatch.setattr(check_views, "fetch", lambda task_id: SimpleNamespace(success=False, result="Traceback"))
    connector = import_connector("sales-crm")
    client.force_login(alice)
    body = client.post(reverse("review:check_now", args=[connector.pk]), **HTMX).content.decode()
    assert "could not run" in body and "Traceback" not in body


def test_it_works_without_javascript(client, alice, import_connector):
    connector = import_connector("sales-crm-xhr")
    client.force_login(alice)
    response = client.post(reverse("review:check_now", args=[connector.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("review:check_result", args=[connector.pk])
    body = client.get(response["Location"]).content.decode()
    assert "no-xmlhttprequest" in body


def test_it_keeps_results_to_the_session_that_asked(client, alice, import_connector, django_user_model, acme):
    from connectors.models import Membership

    connector = import_connector("sales-crm-xhr")
    client.force_login(alice)
    client.post(reverse("review:check_now", args=[connector.pk]))
    colleague = django_user_model.objects.create_user("carol", password="pw")
    Membership.objects.create(user=colleague, company=acme)
    client.force_login(colleague)
    body = client.get(reverse("review:check_result", args=[connector.pk])).content.decode()
    assert "no-xmlhttprequest" not in body


def test_it_answers_404_to_outsiders(client, bob, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(bob)
    assert client.post(reverse("review:check_now", args=[connector.pk])).status_code == 404
    assert client.get(reverse("review:check_result", args=[connector.pk])).status_code == 404


def test_it_only_starts_on_post(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    assert client.get(reverse("review:check_now", args=[connector.pk])).status_code == 405


def test_the_submit_dialog_warns_after_a_failed_check_of_the_saved_draft(client, alice, import_connector):
    """Issue 20, item 8: "Congratulations!", then "Changes requested" 4 s later."""
    connector = import_connector("sales-crm-xhr")
    client.force_login(alice)
    editor = reverse("connectors:edit", args=[connector.pk])
    submit = reverse("connectors:submit", args=[connector.pk])

    def warned(url):
        body = client.get(url).content.decode()
        start = body.index('data-testid="check-failed-warning"')
        return "hidden" not in body[start:start + 60]

    assert not warned(editor)  # never checked
    body = client.post(reverse("review:check_now", args=[connector.pk]), **HTMX).content.decode()
    assert 'data-verdict="fail"' in body and "data-stale" not in body
    assert warned(editor) and warned(submit)
    assert "Your last Check now failed with" in client.get(editor).content.decode()

    time.sleep(0.01)
    connector.description += " Edited."
    connector.save()  # a save may have fixed it: no warning about the old result
    assert not warned(editor) and not warned(submit)
    assert "data-stale" in client.get(reverse("review:check_result", args=[connector.pk]), **HTMX).content.decode()


def test_the_submit_dialog_does_not_warn_after_a_passed_check(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    client.post(reverse("review:check_now", args=[connector.pk]), **HTMX)
    body = client.get(reverse("connectors:edit", args=[connector.pk])).content.decode()
    start = body.index('data-testid="check-failed-warning"')
    assert "hidden" in body[start:start + 60]
