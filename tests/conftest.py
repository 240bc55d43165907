"""Shared fixtures: an owner company with a member, an outsider company, an engineer."""

import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from connectors import services
from connectors.models import Company, Membership
from portal.permissions import REVIEW_ENGINEERS_GROUP

BUNDLES = Path(__file__).parent / "fixtures" / "bundles"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """The qcluster tests start a real worker process, which sees only a file database.

    Only when such a test is collected does the SQLite test database move to a file;
    otherwise it stays in memory.
    """
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    wants_file = any(item.get_closest_marker("qcluster") for item in request.session.items)
    if wants_file and settings_dict["ENGINE"].endswith("sqlite3") and not settings_dict["TEST"].get("NAME"):
        settings_dict["TEST"]["NAME"] = str(Path(tempfile.mkdtemp(prefix="portal-test-")) / "test.sqlite3")


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
