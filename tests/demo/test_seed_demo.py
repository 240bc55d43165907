"""seed_demo builds every lifecycle state, and running it twice changes nothing."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from connectors.models import BetaState, Company, Connector, Membership, ReviewState, Submission, SubmissionEvent


def _snapshot():
    return {
        "users": sorted(get_user_model().objects.values_list("username", "is_staff")),
        "companies": sorted(Company.objects.values_list("name", flat=True)),
        "memberships": sorted(Membership.objects.values_list("user__username", "company__name")),
        "connectors": sorted(Connector.objects.values_list("company__name", "name")),
        "submissions": sorted(Submission.objects.values_list("connector__name", "number", "state", "beta_state")),
        "events": SubmissionEvent.objects.count(),
    }


def test_it_is_idempotent(db):
    call_command("seed_demo", verbosity=0)
    first = _snapshot()
    call_command("seed_demo", verbosity=0)
    assert _snapshot() == first


def test_it_covers_every_state_of_the_lifecycle(db):
    call_command("seed_demo", verbosity=0)
    review_states = set(Submission.objects.values_list("state", flat=True))
    beta_states = set(Submission.objects.values_list("beta_state", flat=True))
    # draft lives on connectors that were never submitted
    assert Connector.objects.filter(submissions__isnull=True).exists()
    assert review_states >= {
        ReviewState.SUBMITTED,
        ReviewState.IN_REVIEW,
        ReviewState.APPROVED,
        ReviewState.CHANGES_REQUESTED,
        ReviewState.WITHDRAWN,
    }
    assert beta_states == set(BetaState.values)


def test_it_gives_the_demo_users_their_roles(db):
    call_command("seed_demo", verbosity=0)
    users = get_user_model().objects
    assert users.get(username="alice").memberships.get().company.name == "Acme"
    assert users.get(username="bob").memberships.get().company.name == "Globex"
    erin = users.get(username="erin")
    assert erin.is_staff and erin.groups.filter(name="Review engineers").exists()
    assert erin.check_password("demo")
