"""The version a new one is compared with (review.selectors.last_approved_before)."""

from connectors import services
from review.selectors import last_approved_before
from tests.conftest import approve


def test_it_asks_nothing_for_a_first_version(import_connector, alice, django_assert_num_queries):
    first = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="public")
    with django_assert_num_queries(0):
        assert last_approved_before(first) is None


def test_it_finds_the_approved_version_before_a_second_one(import_connector, alice, django_assert_num_queries):
    connector = import_connector("sales-crm")
    first = approve(services.connector_submit(connector=connector, user=alice, visibility="public"))
    second = services.connector_submit(connector=connector, user=alice, visibility="public")
    with django_assert_num_queries(1):
        assert last_approved_before(second) == first
