"""Who someone is and what they may do takes effect on the NEXT request, whatever wrote
the row: a bulk queryset.update() or a bulk delete sends no signal, so nothing may keep
the user or their groups between requests."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.permissions import REVIEW_ENGINEERS_GROUP

pytestmark = pytest.mark.usefixtures("empty_cache")
DEVELOP = "/develop/"
QUEUE = "/admin/connectors/submission/"


def test_a_user_deactivated_by_a_bulk_update_is_signed_out_on_the_next_request(client, alice, django_user_model):
    client.force_login(alice)
    assert client.get(DEVELOP).status_code == 200
    django_user_model.objects.filter(pk=alice.pk).update(is_active=False)
    response = client.get(DEVELOP)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_clearing_is_staff_by_a_bulk_update_takes_the_queue_away(client, erin, django_user_model):
    client.force_login(erin)
    assert client.get(QUEUE).status_code == 200
    django_user_model.objects.filter(pk=erin.pk).update(is_staff=False)
    assert client.get(QUEUE).status_code != 200


def test_an_engineer_removed_by_a_bulk_delete_of_the_membership_loses_the_queue(client, erin, django_user_model):
    client.force_login(erin)
    assert client.get(QUEUE).status_code == 200
    memberships = django_user_model.groups.through.objects.filter(user=erin, group__name=REVIEW_ENGINEERS_GROUP)
    assert memberships.delete()[0] == 1
    assert client.get(QUEUE).status_code == 403


def test_a_group_renamed_by_a_bulk_update_takes_the_queue_away(client, erin):
    client.force_login(erin)
    assert client.get(QUEUE).status_code == 200
    Group.objects.filter(name=REVIEW_ENGINEERS_GROUP).update(name="Former engineers")
    assert client.get(QUEUE).status_code == 403


def test_an_engineer_added_by_a_bulk_create_gets_the_queue(client, django_user_model, erin):
    stan = django_user_model.objects.create_user("stan", "stan@example.com", "pw", is_staff=True)
    client.force_login(stan)
    assert client.get(QUEUE).status_code == 403
    through = django_user_model.groups.through
    through.objects.bulk_create([through(user=stan, group=Group.objects.get(name=REVIEW_ENGINEERS_GROUP))])
    assert client.get(QUEUE).status_code == 200
