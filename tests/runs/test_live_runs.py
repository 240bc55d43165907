"""Live runs end to end: a paging connector against a local API, auth failure, secrets, limits, access."""

import base64
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from connectors import services as connector_services
from connectors.bundle.reader import read_bundle
from runs import csv_store, services
from runs.access import RunRefused, runnable
from runs.demo_api import DemoApi
from runs.models import LiveRun, RunStatus, SavedAccount
from tests.conftest import BUNDLES

GOOD = {"username": "tester@example.com", "password": "sample-only"}


@pytest.fixture
def crm_api():
    bundle = read_bundle(BUNDLES / "sales-crm")
    api = DemoApi(bundle.manifest, bundle.files).start()
    yield api
    api.close()


@pytest.fixture
def live_settings(crm_api, live_runs_in_memory, settings):
    settings.LIVE_RUN_HOST_MAP = f"crm.example-sales.com={crm_api.address}"
    return settings


@pytest.fixture
def beta(import_connector, alice):
    submission = connector_services.connector_submit(connector=import_connector("sales-crm"), user=alice,
                                                     visibility="company")
    return connector_services.submission_self_publish(submission=submission, user=alice)


def start_and_perform(user, kind, key, account, report="Opportunities", captured=None):
    """Start a run, then perform its task as the worker would (the task's arguments kept in `captured`)."""
    from django.core.cache import cache

    target = runnable(user, kind, key)
    with pytest.MonkeyPatch.context() as patch:
        queued = []
        patch.setattr(services, "_queue", lambda *args: queued.append(args))
        services.live_run_start(user=user, target=target, report=report, parameters={}, account=account)
    (run_id,), = queued
    if captured is not None:
        captured.append(repr(queued))
        captured.append(str(cache.get(services._account_key(run_id))))
    run = services.live_run_perform(run_id=run_id)
    assert cache.get(services._account_key(run_id)) is None  # taken once, gone
    return run


@pytest.mark.django_db(transaction=True)
def test_an_honest_paging_run_gives_every_row_as_csv(live_settings, beta, alice, crm_api):
    run = start_and_perform(alice, "beta", beta.beta_token, GOOD)
    assert run.status == RunStatus.DONE, run.outcome
    assert run.columns == ["id", "account", "stage", "amount", "close_date"]
    assert run.requests == 1 + 3  # the session check, then three pages
    with csv_store.open_csv(run.csv_name) as stored:
        lines = stored.read().decode("utf-8").splitlines()
    assert lines[0] == "id,account,stage,amount,close_date"
    assert len(lines) - 1 == run.rows > 1000
    assert run.first_rows[0] == lines[1].split(",")
    assert run.csv_expires_at > timezone.now() + timedelta(days=6)


@pytest.mark.django_db(transaction=True)
def test_a_result_that_cannot_be_stored_fails_the_run_saying_so(live_settings, beta, alice, monkeypatch):
    def storage_down(run_pk, local_path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(csv_store, "save", storage_down)
    run = start_and_perform(alice, "beta", beta.beta_token, GOOD)
    assert run.status == RunStatus.FAILED and not run.csv_name
    assert run.outcome == "The run finished, but its result could not be stored: run it again."
    assert not list(Path(tempfile.gettempdir()).glob(f"live-run-{run.pk}-*"))  # its work folder is gone


@pytest.mark.django_db(transaction=True)
def test_an_auth_failure_shows_the_connectors_message_and_never_the_secret(live_settings, beta, alice):
    run = start_and_perform(alice, "beta", beta.beta_token, {"username": "tester@example.com", "password": "wrong-pass-9"})
    assert run.status == RunStatus.FAILED
    assert run.outcome == "Authentication failed: The CRM did not accept this username and password."
    assert run.rows == 0 and not run.csv_name


@pytest.mark.django_db(transaction=True)
def test_typed_secrets_rest_nowhere_and_are_masked_in_logs(live_settings, beta, alice):
    secret = "s3cret-typed-value"
    captured = []
    run = start_and_perform(alice, "beta", beta.beta_token, {"username": "u", "password": secret}, captured=captured)
    assert captured[0] == f"[({run.pk},)]"  # the task gets the run's id alone
    assert secret not in captured[1] and captured[1] != "None"  # the account waited sealed
    stored = " ".join(str(v) for v in LiveRun.objects.filter(pk=run.pk).values().first().values())
    assert secret not in stored
    basic = base64.b64encode(f"u:{secret}".encode()).decode()
    assert basic.rstrip("=") not in stored


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_account_is_gone_fails_without_running(live_settings, beta, alice, crm_api):
    run = LiveRun.objects.create(user=alice, company=beta.connector.company, submission=beta, kind="beta",
                                 report="Opportunities")
    run = services.live_run_perform(run_id=run.pk)
    assert run.status == RunStatus.FAILED and "run it again" in run.outcome
    assert crm_api.requests == 0


@pytest.mark.django_db(transaction=True)
def test_an_expired_beta_refuses_a_run(live_settings, beta, alice):
    type(beta).objects.filter(pk=beta.pk).update(beta_expires_at=timezone.now() - timedelta(minutes=1))
    target = runnable(alice, "beta", beta.beta_token)
    with pytest.raises(RunRefused, match="expired"):
        services.live_run_start(user=alice, target=target, report="Opportunities", parameters={}, account=GOOD)
    assert not LiveRun.objects.exists()


@pytest.mark.django_db
def test_another_companys_user_gets_404_on_the_run_page(client, beta, bob):
    client.force_login(bob)
    assert client.get(reverse("runs:run_beta", args=[beta.beta_token])).status_code == 404
    assert client.post(reverse("runs:run_beta", args=[beta.beta_token]), {"report": "Opportunities"}).status_code == 404


@pytest.mark.django_db
def test_a_run_belongs_to_its_user(client, beta, alice, bob, acme):
    from connectors.models import Membership

    Membership.objects.create(user=bob, company=acme)
    run = LiveRun.objects.create(user=alice, company=acme, submission=beta, kind="beta", report="Opportunities",
                                 csv_name="run-1.csv")
    client.force_login(bob)
    for name in ("runs:run", "runs:progress", "runs:csv"):
        assert client.get(reverse(name, args=[run.pk])).status_code == 404


@pytest.mark.django_db
def test_the_expired_beta_page_says_runs_are_over(client, beta, alice):
    type(beta).objects.filter(pk=beta.pk).update(beta_expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(alice)
    response = client.post(reverse("runs:run_beta", args=[beta.beta_token]), {"report": "Opportunities"})
    assert response.status_code == 403 and b"expired" in response.content


@pytest.mark.django_db
@override_settings(LIVE_RUNS_AT_ONCE_PER_USER=1)
def test_one_run_at_a_time_per_user_with_the_wait_shown(beta, alice, acme):
    LiveRun.objects.create(user=alice, company=acme, submission=beta, kind="beta", report="Opportunities",
                           status=RunStatus.RUNNING)
    with pytest.raises(RunRefused, match="wait until one ends"):
        services.live_run_start(user=alice, target=runnable(alice, "beta", beta.beta_token), report="Opportunities",
                                parameters={}, account=GOOD)


@pytest.mark.django_db
@override_settings(LIVE_RUNS_PER_HOUR_PER_USER=100, LIVE_RUNS_PER_HOUR_PER_COMPANY=2, LIVE_RUNS_AT_ONCE_PER_USER=9)
def test_runs_per_hour_per_company_with_the_minutes_to_wait(beta, alice, acme):
    for _ in range(2):
        LiveRun.objects.create(user=alice, company=acme, submission=beta, kind="beta", report="Opportunities",
                               status=RunStatus.DONE)
    with pytest.raises(RunRefused, match="Acme reached 2 runs in an hour: the next can start in about 6[01] minute"):
        services.live_run_start(user=alice, target=runnable(alice, "beta", beta.beta_token), report="Opportunities",
                                parameters={}, account=GOOD)


@pytest.mark.django_db
def test_a_public_connector_runs_for_anyone_signed_in_a_private_one_for_its_company(public_approved, bob, alice):
    assert runnable(bob, "public", str(public_approved.pk)).submission == public_approved
    from django.http import Http404

    with pytest.raises(Http404):
        runnable(bob, "private", "no-such-token")


@pytest.mark.django_db
def test_the_purge_deletes_expired_csvs_and_keeps_the_history(live_settings, beta, alice, acme, tmp_path):
    local = tmp_path / "made.csv"
    local.write_text("a\n1\n")
    old, fresh = csv_store.save(1, local), csv_store.save(2, local)
    now = timezone.now()
    expired = LiveRun.objects.create(user=alice, company=acme, submission=beta, kind="beta", report="r",
                                     csv_name=old, csv_expires_at=now - timedelta(seconds=1))
    kept = LiveRun.objects.create(user=alice, company=acme, submission=beta, kind="beta", report="r",
                                  csv_name=fresh, csv_expires_at=now + timedelta(days=1))
    gone = LiveRun.objects.create(user=alice, company=acme, submission=beta, kind="beta", report="r",
                                  csv_name="run-3.csv", csv_expires_at=now - timedelta(days=1))  # deleted by hand
    assert services.live_run_csvs_purge(now) == 2
    storage = storages["live_runs"]
    assert not storage.exists(old) and storage.exists(fresh)
    expired.refresh_from_db(), kept.refresh_from_db(), gone.refresh_from_db()
    assert expired.csv_name == "" == gone.csv_name and kept.csv_name == fresh


@pytest.mark.django_db
def test_the_csv_is_downloaded_from_the_storage_and_a_missing_one_is_gone(live_settings, client, beta, alice, acme,
                                                                          tmp_path):
    local = tmp_path / "made.csv"
    local.write_text("id\n7\n")
    run = LiveRun.objects.create(user=alice, company=acme, submission=beta, kind="beta", report="r",
                                 csv_name=csv_store.save(1, local))
    client.force_login(alice)
    response = client.get(reverse("runs:csv", args=[run.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"id\n7\n"
    assert 'filename="run-' in response["Content-Disposition"]
    csv_store.delete(run.csv_name)
    assert client.get(reverse("runs:csv", args=[run.pk])).status_code == 404


@pytest.mark.django_db
def test_a_saved_account_is_encrypted_and_only_its_owner_uses_it(beta, alice, bob):
    from django.db import connection
    from django.http import Http404

    from runs.selectors import saved_account_values

    account = services.saved_account_create(owner=alice, connector=beta.connector, name="mine", values=GOOD)
    with connection.cursor() as cursor:
        cursor.execute('SELECT "values" FROM runs_savedaccount WHERE id = %s', [account.pk])
        assert "sample-only" not in cursor.fetchone()[0]
    assert saved_account_values(alice, account.pk) == GOOD
    with pytest.raises(Http404):
        saved_account_values(bob, account.pk)
    services.saved_account_delete(owner=bob, pk=account.pk)
    assert SavedAccount.objects.filter(pk=account.pk).exists()
    services.saved_account_delete(owner=alice, pk=account.pk)
    assert not SavedAccount.objects.exists()


def test_the_host_map_is_a_start_up_error_in_production(settings):
    from runs import checks

    settings.LIVE_RUN_HOST_MAP = "api.example.com=127.0.0.1:9"
    settings.DEBUG = False
    settings.LIVE_RUN_HOST_MAP_IN_TESTS = False
    assert [e.id for e in checks.host_map_only_in_debug()] == ["runs.E001"]
    settings.DEBUG = True
    assert checks.host_map_only_in_debug() == []
    settings.DEBUG = False
    settings.LIVE_RUN_HOST_MAP_IN_TESTS = True
    assert checks.host_map_only_in_debug() == []


def test_without_debug_or_tests_a_run_is_given_no_host_map(settings):
    from runs.services import live_policy

    settings.LIVE_RUN_HOST_MAP = "crm.example-sales.com=127.0.0.1:9"
    settings.DEBUG = False
    settings.LIVE_RUN_HOST_MAP_IN_TESTS = False
    assert live_policy({"hosts": ["crm.example-sales.com"]}, {}, []).host_map == {}
    settings.DEBUG = True
    assert live_policy({"hosts": ["crm.example-sales.com"]}, {}, []).host_map == {"crm.example-sales.com": "127.0.0.1:9"}


@pytest.mark.django_db
def test_the_csv_purge_is_a_scheduled_job():
    from django_q.models import Schedule

    job = Schedule.objects.get(name="Purge expired live-run CSVs")
    assert job.func == "runs.tasks.purge_live_run_csvs" and job.repeats == -1
    from django.utils.module_loading import import_string

    assert import_string(job.func)() == 0


def test_plain_http_is_allowed_only_for_a_declared_host_the_scripts_write_with_http(settings):
    from runs.services import live_policy

    manifest = {"hosts": ["legacy.example.com", "api.example.com", "other.example.com:8080"]}
    scripts = {"processdata.js": "get('http://legacy.example.com/x'); get('https://api.example.com/y');"
                                 "get('http://other.example.com:8080/z'); get('http://undeclared.example.net/')"}
    assert live_policy(manifest, scripts, []).http_hosts == ("legacy.example.com", "other.example.com:8080")


@pytest.mark.django_db(transaction=True)
def test_the_migration_names_the_csvs_kept_before_by_their_path(beta, alice, acme):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("runs", "0002_schedule_csv_purge")], [("runs", "0003_csv_name_in_storage")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("runs", "LiveRun")
        kept = old.objects.create(user_id=alice.pk, company_id=acme.pk, submission_id=beta.pk, kind="beta",
                                  report="r", csv_path="/srv/portal/var/live-runs/run-5.csv").pk
        none = old.objects.create(user_id=alice.pk, company_id=acme.pk, submission_id=beta.pk, kind="beta",
                                  report="r", csv_path="").pk
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    finally:
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
    names = dict(LiveRun.objects.filter(pk__in=[kept, none]).values_list("pk", "csv_name"))
    assert names == {kept: "run-5.csv", none: ""}
