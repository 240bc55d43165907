"""Selectors never return another company's objects."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from connectors import selectors, services


@pytest.fixture
def two_connectors(import_connector, globex, bob):
    mine = import_connector("sales-crm")
    theirs = import_connector("workspaces-discovery", company=globex, user=bob)
    return mine, theirs


def test_it_lists_only_the_users_companies_connectors(two_connectors, alice, bob):
    mine, theirs = two_connectors
    assert list(selectors.connector_list_for_user(alice)) == [mine]
    assert list(selectors.connector_list_for_user(bob)) == [theirs]
    assert list(selectors.connector_list_for_user(AnonymousUser())) == []


def test_it_answers_404_for_another_companys_connector(two_connectors, alice):
    _mine, theirs = two_connectors
    with pytest.raises(Http404):
        selectors.connector_get_for_user(alice, theirs.pk)
    with pytest.raises(Http404):
        selectors.connector_get_for_user(alice, "not-a-number")


def test_it_answers_404_for_another_companys_submission(two_connectors, alice, bob):
    _mine, theirs = two_connectors
    submission = services.connector_submit(connector=theirs, user=bob, visibility="company")
    assert selectors.submission_get_for_user(bob, submission.pk) == submission
    with pytest.raises(Http404):
        selectors.submission_get_for_user(alice, submission.pk)
    assert list(selectors.submission_list_for_user(alice)) == []


def test_it_does_not_give_staff_other_companies_connectors_in_the_portal(two_connectors, erin):
    assert list(selectors.connector_list_for_user(erin)) == []


def test_it_lists_only_approved_public_connectors_in_the_data_center(two_connectors, alice, bob):
    from tests.conftest import approve

    mine, theirs = two_connectors
    public = services.connector_submit(connector=mine, user=alice, visibility="public")
    private = services.connector_submit(connector=theirs, user=bob, visibility="company")
    assert list(selectors.data_center_list()) == []
    approve(public)
    approve(private)
    assert [s.pk for s in selectors.data_center_list()] == [public.pk]
    assert [s.pk for s in selectors.data_center_list("sales")] == [public.pk]
    assert list(selectors.data_center_list("no such thing")) == []
