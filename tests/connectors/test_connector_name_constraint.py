"""The database keeps one connector name per company, however many saves race for it."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from connectors import selectors, services
from connectors.errors import DuplicateName
from connectors.models import Connector
from tests.races import race

BEFORE = [("connectors", "0004_issue11_listed_flag")]
AFTER = [("connectors", "0005_connector_name_unique")]


def test_the_database_refuses_a_second_name_whatever_its_case_and_outer_spaces(acme, globex):
    Connector.objects.create(company=acme, name="Sales CRM")
    with pytest.raises(IntegrityError), transaction.atomic():
        Connector.objects.create(company=acme, name=" sales crm ")
    assert Connector.objects.create(company=globex, name="Sales CRM").pk


def test_an_import_that_loses_the_name_to_a_concurrent_save_retries_with_the_next_number(
        import_connector, monkeypatch):
    first = import_connector("sales-crm")
    real = selectors.connector_free_name
    stale = iter([first.name])  # what a read made before the other save committed would answer

    def free_name(company, name, exclude_pk=None, **kwargs):
        return next(stale, None) or real(company, name, exclude_pk, **kwargs)

    monkeypatch.setattr(selectors, "connector_free_name", free_name)
    second = import_connector("sales-crm")
    assert second.name == "Example Sales CRM (2)" and second.renamed_from == "Example Sales CRM"


def test_a_typed_name_that_loses_the_race_is_refused_not_numbered(alice, acme, monkeypatch):
    services.connector_create(company=acme, user=alice, name="Orders")
    monkeypatch.setattr(selectors, "connector_name_taken", lambda *args, **kwargs: None)  # the stale check
    with pytest.raises(DuplicateName):
        services.connector_create(company=acme, user=alice, name="Orders")
    assert acme.connectors.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_numbers_the_clashes_that_exist_before_the_constraint(acme):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("connectors", "Connector")
        ids = [old.objects.create(company_id=acme.pk, name=name).pk
               for name in ("Orders", "orders ", "ORDERS", "Orders (2)", "Leads")]
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
    names = dict(Connector.objects.filter(pk__in=ids).values_list("pk", "name"))
    assert [names[pk] for pk in ids] == ["Orders", "orders (3)", "ORDERS (4)", "Orders (2)", "Leads"]


# -- two real connections (PostgreSQL) -------------------------------------------------




@pytest.fixture
def both_read_before_either_saves(monkeypatch):
    """Each thread's first name check waits for the other's: both see the name free."""
    barrier = threading.Barrier(2)
    seen = threading.local()
    for name in ("connector_free_name", "connector_name_taken"):
        real = getattr(selectors, name)

        def checked(*args, _real=real, **kwargs):
            answer = _real(*args, **kwargs)
            if not getattr(seen, "done", False):
                seen.done = True
                barrier.wait(timeout=10)
            return answer

        monkeypatch.setattr(selectors, name, checked)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("needs_postgres")
class TestConcurrentCreates:
    def test_two_simultaneous_imports_get_the_name_and_the_next_number(
            self, import_connector, both_read_before_either_saves):
        outcomes = race([import_connector, import_connector])
        assert all(isinstance(o, Connector) for o in outcomes), outcomes
        assert sorted(o.name for o in outcomes) == ["Example Sales CRM", "Example Sales CRM (2)"]

    def test_two_simultaneous_creates_with_one_typed_name_one_wins(self, alice, acme, both_read_before_either_saves):
        outcomes = race([lambda: services.connector_create(company=acme, user=alice, name="Orders")] * 2)
        assert sum(isinstance(o, Connector) for o in outcomes) == 1, outcomes
        assert sum(isinstance(o, DuplicateName) for o in outcomes) == 1, outcomes
        assert acme.connectors.count() == 1
