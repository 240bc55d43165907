"""Shared fixtures: an owner company with a member, an outsider company, an engineer."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from connectors import services
from connectors.models import Company, Membership
from connectors.selectors import REVIEW_ENGINEERS_GROUP

BUNDLES = Path(__file__).parent / "fixtures" / "bundles"


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
