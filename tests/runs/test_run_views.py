"""The run pages: the form (secrets masked), a saved account, the progress part, the history, the admin."""


import pytest
from django.urls import reverse

from connectors import services as connector_services
from runs import services
from runs.models import LiveRun, RunStatus, SavedAccount


@pytest.fixture
def beta(import_connector, alice):
    submission = connector_services.connector_submit(connector=import_connector("sales-crm"), user=alice,
                                                     visibility="company")
    return connector_services.submission_self_publish(submission=submission, user=alice)


@pytest.fixture
def queued(monkeypatch):
    runs = []
    monkeypatch.setattr(services, "_queue", lambda run_id: runs.append(run_id))
    return runs


@pytest.mark.django_db
def test_the_form_asks_the_auth_methods_fields_with_the_secret_masked(client, beta, alice):
    client.force_login(alice)
    page = client.get(reverse("runs:run_beta", args=[beta.beta_token])).content.decode()
    assert 'type="password" name="account_password"' in page
    assert 'type="text" name="account_username"' in page
    assert '<option value="Opportunities">' in page


@pytest.mark.django_db(transaction=True)
def test_a_saved_account_is_used_by_its_owner_and_its_values_never_show(client, beta, alice, queued):
    from django.core.cache import cache

    client.force_login(alice)
    url = reverse("runs:run_beta", args=[beta.beta_token])
    client.post(url, {"report": "Opportunities", "account_username": "u", "account_password": "pw-typed-1",
                      "save_as": "work"})
    saved = SavedAccount.objects.get(owner=alice)
    LiveRun.objects.update(status=RunStatus.DONE)
    page = client.get(url).content.decode()
    assert "work" in page and "pw-typed-1" not in page
    response = client.post(url, {"report": "Opportunities", "saved_account": str(saved.pk)})
    assert response.status_code == 302
    sealed = cache.get(services._account_key(queued[-1]))
    assert "pw-typed-1" not in sealed
    assert services._take_account(queued[-1]) == {"username": "u", "password": "pw-typed-1"}


@pytest.mark.django_db
def test_the_progress_part_polls_while_the_run_goes_and_stops_after(client, beta, alice, acme):
    run = LiveRun.objects.create(user=alice, company=acme, submission=beta, kind="beta", report="Opportunities",
                                 status=RunStatus.RUNNING, requests=3, rows=1500)
    client.force_login(alice)
    part = client.get(reverse("runs:progress", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in part and "3 requests" in part and ">1500<" in part
    LiveRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, columns=["id"], first_rows=[["7"]],
                                             log_lines=["page 1 ****"])
    part = client.get(reverse("runs:progress", args=[run.pk])).content.decode()
    assert "hx-trigger" not in part and "<th>id</th>" in part and "page 1 ****" in part


@pytest.mark.django_db
def test_the_history_lists_only_the_users_runs(client, beta, alice, bob, acme):
    LiveRun.objects.create(user=alice, company=acme, submission=beta, kind="beta", report="Opportunities", rows=42)
    client.force_login(bob)
    assert "Opportunities" not in client.get(reverse("runs:history")).content.decode()
    client.force_login(alice)
    assert ">42<" in client.get(reverse("runs:history")).content.decode()


@pytest.mark.django_db
def test_engineers_see_the_runs_of_a_connector_in_the_admin_and_developers_do_not(client, beta, alice, erin, acme):
    run = LiveRun.objects.create(user=alice, company=acme, submission=beta, kind="beta", report="Opportunities",
                                 parameters={"since": "2026-01-01"})
    client.force_login(erin)
    listing = client.get(reverse("admin:runs_liverun_changelist"))
    assert listing.status_code == 200 and f">{run.pk}<" in listing.content.decode()
    client.force_login(alice)
    assert client.get(reverse("admin:runs_liverun_changelist")).status_code in (302, 403)


def test_the_task_takes_only_the_run_id():
    import inspect

    from runs import tasks

    assert list(inspect.signature(tasks.perform_live_run).parameters) == ["run_id"]


@pytest.mark.django_db
def test_only_the_owner_deletes_a_saved_account_and_next_stays_on_the_site(client, beta, alice, bob):
    account = services.saved_account_create(owner=alice, connector=beta.connector, name="mine", values={"apikey": "k"})
    url = reverse("runs:saved_account_delete", args=[account.pk])
    client.force_login(bob)
    assert client.post(url).status_code == 404
    assert SavedAccount.objects.filter(pk=account.pk).exists()
    client.force_login(alice)
    response = client.post(url, {"next": "//evil.example.net/"})
    assert response.status_code == 302 and response["Location"] == reverse("runs:history")
    assert not SavedAccount.objects.exists()
