"""The signed-in user (Django's ModelBackend, read every request): every change to the
user's row reaches the next request (a deactivation or a new password signs them out)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("empty_cache")
DEVELOP = "/develop/"


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    assert client.get(DEVELOP).status_code == 200  # the user is read once and kept
    return client


def test_a_deactivated_user_is_signed_out_at_once(signed_in, alice):
    alice.is_active = False
    alice.save()
    response = signed_in.get(DEVELOP)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_new_password_set_elsewhere_signs_the_session_out(signed_in, alice):
    alice.set_password("a completely new passphrase")
    alice.save()
    response = signed_in.get(DEVELOP)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_renamed_user_shows_their_new_name_at_once(signed_in, alice):
    alice.username = "alice-renamed"
    alice.save()
    assert "alice-renamed" in signed_in.get(DEVELOP).content.decode()


def test_a_deleted_user_is_signed_out(signed_in, alice):
    alice.delete()
    response = signed_in.get(DEVELOP)
    assert response.status_code == 302


# -- whether the user is a review engineer ------------------------------------------------------

QUEUE = "/admin/connectors/submission/"


def test_an_engineer_added_to_the_group_sees_the_queue_at_once(client, django_user_model, erin):
    from django.contrib.auth.models import Group

    from portal.permissions import REVIEW_ENGINEERS_GROUP

    stan = django_user_model.objects.create_user("stan", "stan@example.com", "pw", is_staff=True)
    client.force_login(stan)
    assert client.get(QUEUE).status_code == 403
    stan.groups.add(Group.objects.get(name=REVIEW_ENGINEERS_GROUP))
    assert client.get(QUEUE).status_code == 200
    Group.objects.get(name=REVIEW_ENGINEERS_GROUP).user_set.remove(stan)  # from the group's side
    assert client.get(QUEUE).status_code == 403


def test_emptying_or_renaming_the_group_takes_the_queue_away(client, erin):
    from django.contrib.auth.models import Group

    from portal.permissions import REVIEW_ENGINEERS_GROUP

    client.force_login(erin)
    assert client.get(QUEUE).status_code == 200
    group = Group.objects.get(name=REVIEW_ENGINEERS_GROUP)
    group.name = "Former engineers"
    group.save()
    assert client.get(QUEUE).status_code == 403
    group.name = REVIEW_ENGINEERS_GROUP
    group.save()
    assert client.get(QUEUE).status_code == 200
    group.user_set.clear()
    assert client.get(QUEUE).status_code == 403
