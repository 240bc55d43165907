"""Shared fixtures: an owner company with a member, an outsider company, an engineer."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from connectors import services
from connectors.models import Company, Membership
from portal.permissions import REVIEW_ENGINEERS_GROUP

BUNDLES = Path(__file__).parent / "fixtures" / "bundles"
# A hung test ends with its stacks instead of stalling the run (tests/hang_watch.py).
pytest_plugins = ["tests.hang_watch"]


@pytest.fixture(scope="session", autouse=True)
def loopback_only():
    """This machine's rule: no test ever connects outside loopback, not even to a refused address.

    Every TCP connect to any other address fails before it is made, for the whole run; the
    sandbox workers that perform live requests install the same guard (LIVE_RUN_LOOPBACK_ONLY).
    """
    import os

    from runs.egress import loopback_guard

    os.environ["LIVE_RUN_LOOPBACK_ONLY"] = "1"
    loopback_guard.install()
    yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """The qcluster tests start a real worker process, which sees only a file database;
    the file_database tests race threads, which an in-memory database refuses at once
    ("database table is locked") where a file waits its turn (busy_timeout).

    Only when such a test is collected does the SQLite test database move to a file;
    otherwise it stays in memory.
    """
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    wants_file = any(item.get_closest_marker("qcluster") or item.get_closest_marker("file_database")
                     for item in request.session.items)
    if wants_file and settings_dict["ENGINE"].endswith("sqlite3") and not settings_dict["TEST"].get("NAME"):
        settings_dict["TEST"]["NAME"] = str(Path(tempfile.mkdtemp(prefix="portal-test-")) / "test.sqlite3")


def _is_xdist_worker(config) -> bool:
    return hasattr(config, "workerinput")


def pytest_sessionstart(session):
    # pytest-playwright empties its output folder (test-results/, where the browser tests'
    # screenshots go) from a session fixture, which every pytest-xdist worker would run
    # at its own start, deleting what a faster worker already saved. Here it is done once,
    # before the workers start, and the fixture below stands in for the plugin's.
    if _is_xdist_worker(session.config) or not session.config.pluginmanager.hasplugin("playwright"):
        return
    output = Path(session.config.getoption("--output"))
    if output.exists():
        shutil.rmtree(output, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir():
    """pytest-playwright's fixture of this name, done once in pytest_sessionstart instead."""


def pytest_terminal_summary(terminalreporter):
    # Here rather than in tests/browser/conftest.py: with pytest-xdist the summary is written
    # by the controller, which loads only this conftest.
    required = os.environ.get("REQUIRE_BROWSER_TESTS", "") not in ("", "0", "false", "no")
    if not shutil.which("chromium") and not required and terminalreporter.stats.get("skipped"):
        terminalreporter.write_line(
            "Browser tests skipped: chromium is not installed. Enable them with `apt-get install chromium`.",
            yellow=True,
        )


@pytest.fixture
def bundles_dir():
    return BUNDLES


@pytest.fixture
def acme(db):
    return Company.objects.create(name="Acme", slug="acme")


@pytest.fixture
def globex(db):
    return Company.objects.create(name="Globex", slug="globex")


@pytest.fixture
def alice(acme, django_user_model):
    user = django_user_model.objects.create_user("alice", "alice@example.com", "pw")
    Membership.objects.create(user=user, company=acme)
    return user


@pytest.fixture
def bob(globex, django_user_model):
    user = django_user_model.objects.create_user("bob", "bob@example.com", "pw")
    Membership.objects.create(user=user, company=globex)
    return user


@pytest.fixture
def erin(db, django_user_model):
    user = django_user_model.objects.create_user("erin", "erin@example.com", "pw", is_staff=True)
    group, _ = Group.objects.get_or_create(name=REVIEW_ENGINEERS_GROUP)
    user.groups.add(group)
    return user


@pytest.fixture
def import_connector(acme, alice):
    """Import a fixture bundle into Acme as alice: import_connector("sales-crm")."""

    def _import(name="sales-crm", company=None, user=None):
        return services.connector_import_bundle(
            company=company or acme, user=user or alice, source=BUNDLES / name
        )

    return _import


def approve(submission):
    """Pass every phase and approve, through the services (the engineers' path without the admin)."""
    from connectors.models import Submission
    from review.models import Phase, PhaseStatus, ReviewPhase

    for phase in Phase.values:
        ReviewPhase.objects.update_or_create(submission=submission, phase=phase, defaults={"status": PhaseStatus.PASSED})
    services.submission_start_review(submission=submission)
    return services.submission_approve(submission=Submission.objects.get(pk=submission.pk), user=None)


@pytest.fixture
def public_approved(import_connector, alice):
    """sales-crm, submitted public by alice and approved."""
    return approve(services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="public"))


@pytest.fixture
def needs_postgres():
    """For the races (tests/races.py): only PostgreSQL holds row locks between two connections."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (CI runs it with DATABASE_URL set)")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """A service with its on-commit work (history announce -> emails), and the emails it sent:
    `result, emails = run(services.submission_approve, submission=s, user=erin)`."""
    from django.core import mail

    def _run(fn, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = fn(**kwargs)
        return result, list(mail.outbox)

    return _run


@pytest.fixture
def live_runs_in_memory(settings):
    """Live runs' CSVs in Django's InMemoryStorage, not a folder of this machine: what a
    deployment of several machines shares (runs.csv_store); nothing may depend on a local path."""
    settings.STORAGES = {**settings.STORAGES, "live_runs": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


@pytest.fixture
def no_carry_over(settings):
    """Each version approved by the test itself: a resubmission of the same bundle has the
    approved version's code, and the review would approve it on its own (review.carry_over)."""
    settings.REVIEW_CARRY_OVER = False


@pytest.fixture
def empty_cache():
    # The cache outlives a test's database: a value cached by another test must not answer here.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # portal.fragments names the database in its keys, read with one query per process:
    # read it here, once the test database exists, so no test counts it among its own.
    from portal.fragments import key_prefix

    with django_db_blocker.unblock():
        key_prefix()
