"""Every URL of the project against every role (pretix's test_permissions, in pytest).

The walk covers the whole resolver: ours, the other apps', the admin, the API. A URL
without a rule here fails the test, so nobody adds a page without saying who may see it.

Roles: anonymous, member (alice, Acme: owns the objects), outsider (bob, Globex), and
engineer (erin: staff in the Review engineers group, member of no company).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from api import services as api_services
from connectors import services
from connectors.models import Submission
from review.models import Phase, PhaseStatus, ReviewPhase

ROLES = ("anonymous", "member", "outsider", "engineer")
LOGIN = 302  # anonymous users are sent to sign in
DENIED = {401, 403, 404, 405}


@dataclass(frozen=True)
class Rule:
    anonymous: int | set
    member: int | set
    outsider: int | set
    engineer: int | set
    # Which object each URL parameter names: "connector", "submission", "beta", "private", "public", "api_token".
    objects: dict = field(default_factory=dict)

    def expected(self, role):
        value = getattr(self, role)
        return value if isinstance(value, set) else {value}


def page(member=200, outsider=404, engineer=404, **objects):
    """A signed-in page scoped to the member's company."""
    return Rule(LOGIN, member, outsider, engineer, objects)


def anywhere(anonymous=200):
    """A page anyone may open (sign-in, password reset, health)."""
    return Rule(anonymous, {200, 302}, {200, 302}, {200, 302})


S, C = {"pk": "submission"}, {"pk": "connector"}

RULES: dict[str, Rule] = {
    "home": Rule(302, 302, 302, 302),
    "health": anywhere(),
    "favicon": Rule(302, 302, 302, 302),  # to the static icon, for anyone
    # Django auth
    "login": anywhere(),
    "logout": Rule(405, 405, 405, 405),  # POST only since Django 5
    "password_change": Rule(LOGIN, 200, 200, 200),
    "password_change_done": Rule(LOGIN, 200, 200, 200),
    "password_reset": anywhere(),
    "password_reset_done": anywhere(),
    "password_reset_confirm": anywhere(),
    "password_reset_complete": anywhere(),
    # API tokens (accounts settings, api app)
    "accounts:settings": Rule(LOGIN, 200, 200, 200),
    "accounts:token-create": Rule(LOGIN, 405, 405, 405),
    "accounts:token-revoke": Rule(LOGIN, 405, 405, 405, {"pk": "api_token"}),
    # Developer pages (connectors app)
    "connectors:develop": Rule(LOGIN, 200, 200, 200),
    "connectors:create": Rule(LOGIN, 405, 405, 405),  # the form is on the Develop page
    "connectors:upload": Rule(LOGIN, 405, 405, 405),
    "connectors:samples_format": Rule(LOGIN, 200, 200, 200),  # help, the same for every signed-in user
    "connectors:edit": page(**C),
    "connectors:export": page(**C),
    "connectors:delete": page(member=405, outsider=405, engineer=405, **C),
    "connectors:replace_bundle": page(member=405, outsider=405, engineer=405, **C),
    "review:check_now": page(member=405, outsider=405, engineer=405, **C),
    "review:check_result": page(**C),
    "connectors:submit": page(member=302, **C),  # the connector has an open submission: to its status
    "connectors:submit_confirm": page(member=405, outsider=405, engineer=405, **C),
    "connectors:submitted": page(**S),
    # The review rules the standard reasons link to, from emails too: public.
    "connectors:review_rules": anywhere(),
    # Submissions (this module's neighbours)
    "review:status": page(**S),
    "submissions:withdraw": page(member=405, outsider=405, engineer=405, **S),
    "review:answer": page(member=405, outsider=405, engineer=405, **S),
    "review:contest": page(member=405, outsider=405, engineer=405, **S),
    "submissions:self_publish": page(member=405, outsider=405, engineer=405, **S),
    "submissions:roll_back": page(member=405, outsider=405, engineer=405, **S),
    "review:code": page(**S),
    # The icon of the member's company submission; an approved public one is open to
    # everyone signed in (tests/connectors/test_icons.py).
    "submissions:icon": page(**S),
    "submissions:list": page(connector_pk="connector"),
    "submissions:unpublish": page(member=405, outsider=405, engineer=405, connector_pk="connector"),
    "submissions:data_center": Rule(LOGIN, 200, 200, 200),
    "submissions:public_connector": Rule(LOGIN, 200, 200, 200, {"pk": "public"}),
    "submissions:beta": page(token="beta"),
    "submissions:private": page(token="private"),
    # Live runs (issue 22): the run forms follow the connector pages; a run and a saved
    # account are their user's alone (tests/runs/test_live_runs.py, test_run_views.py).
    "runs:run_beta": page(token="beta"),
    "runs:run_private": page(token="private"),
    "runs:run_public": Rule(LOGIN, 200, 200, 200, {"pk": "public"}),
    "runs:history": Rule(LOGIN, 200, 200, 200),
    "runs:run": Rule(LOGIN, 404, 404, 404, S),  # no run of anyone's has this pk here
    "runs:progress": Rule(LOGIN, 404, 404, 404, S),
    "runs:csv": Rule(LOGIN, 404, 404, 404, S),
    "runs:saved_account_delete": Rule(LOGIN, 405, 405, 405, S),
    # The JSON API: bearer tokens only, a browser session is not enough.
    "api:connector-create": Rule(401, 401, 401, 401),
    "api:connector-bundle": Rule(401, 401, 401, 401, C),
    "api:connector-submit": Rule(401, 401, 401, 401, C),
    "api:submission-detail": Rule(401, 401, 401, 401, S),
    "api:submission-withdraw": Rule(401, 401, 401, 401, S),
    "api:submission-self-publish": Rule(401, 401, 401, 401, S),
}

# The admin is its own permission system: nobody without is_staff gets past its sign-in;
# what an engineer may open there depends on the permissions the admin grants.
ADMIN_RULE = Rule(302, 302, 302, {200, 302, 403, 404})
ADMIN_RULES = {
    "admin:login": Rule(200, 200, 200, 302),
    "admin:logout": Rule(302, 302, 302, 405),  # POST only; the non-staff are sent to its sign-in first
    # The review actions on a submission are POST only (review/admin.py); tests/review/test_admin_permissions.py posts to them.
    **{f"admin:connectors_submission_{action}": Rule(302, 302, 302, 405)
       for action in ("instructions", "sign_off", "approve", "request_changes", "waive", "revoke_waiver", "ask", "take_down", "relist",
                      "roll_back", "assign", "unassign", "answer_contest")},
}
# A few parameter values for the admin's generic routes.
ADMIN_VALUES = {"app_label": "connectors", "object_id": "1", "content_type_id": "1", "id": "1", "url": "nowhere/",
                "finding_id": "1", "waiver_id": "1"}
# Non-tenant parameters of other routes.
OTHER_VALUES = {"uidb64": "MQ", "token": "set-password", "key": "icon_with_background"}


def _walk(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(n for n in (namespace, entry.namespace) if n) or None
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern)


def all_routes():
    return list(_walk(get_resolver()))


def _rule_for(name, route):
    if route.startswith("admin/"):
        return ADMIN_RULES.get(name, ADMIN_RULE)
    return RULES.get(name)


_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def _url(route, values):
    def fill(match):
        param = match.group("name") or match.group("rname")
        if param in values:
            return str(values[param])
        if route.startswith("admin/"):
            return "1"  # the admin's own routes only need to resolve; the admin rule is generic
        raise AssertionError(f"Say which object <{param}> of {route} names: Rule(..., objects={{{param!r}: ...}})")

    url = _PARAM.sub(fill, route).replace("^", "").replace("$", "")
    return "/" + url


@pytest.fixture
def world(import_connector, alice, erin):
    """Acme owns everything: a submitted company connector with a beta, an approved
    company one and an approved public one (on the Data Center)."""
    connector = import_connector("sales-crm")
    submission = services.connector_submit(connector=connector, user=alice, visibility="company")
    submission = services.submission_self_publish(submission=submission, user=alice)
    other = import_connector("sales-crm")
    approved = services.connector_submit(connector=other, user=alice, visibility="company")
    for phase in Phase.values:
        ReviewPhase.objects.update_or_create(submission=approved, phase=phase, defaults={"status": PhaseStatus.PASSED})
    approved = Submission.objects.get(pk=approved.pk)
    if approved.state == "submitted":
        approved = services.submission_start_review(submission=approved)
    approved = services.submission_approve(submission=approved, user=erin)
    public = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="public")
    for phase in Phase.values:
        ReviewPhase.objects.update_or_create(submission=public, phase=phase, defaults={"status": PhaseStatus.PASSED})
    public = Submission.objects.get(pk=public.pk)
    if public.state == "submitted":
        public = services.submission_start_review(submission=public)
    public = services.submission_approve(submission=public, user=erin)
    api_token, _secret = api_services.api_token_create(user=alice, name="ci")
    return {
        "connector": connector.pk,
        "submission": submission.pk,
        "beta": submission.beta_token,
        "private": approved.private_token,
        "public": public.pk,
        "api_token": api_token.pk,
    }


def _values(rule, world):
    values = {**ADMIN_VALUES, **OTHER_VALUES}
    values.update({param: world[obj] for param, obj in rule.objects.items()})
    return values


def test_it_has_a_rule_for_every_url():
    missing = [f"{name or '(unnamed)'} {route}" for name, route in all_routes() if _rule_for(name, route) is None]
    assert not missing, "Add a rule to RULES in tests/connectors/test_permissions.py for: " + ", ".join(missing)


def test_it_has_no_rule_for_a_url_that_is_gone():
    names = {name for name, _route in all_routes()}
    assert not set(RULES) - names


def _users(alice, bob, erin):
    return {"anonymous": None, "member": alice, "outsider": bob, "engineer": erin}


# One test per role: each walks every URL, and the four can run on different test workers.
@pytest.mark.parametrize("role", ROLES)
def test_it_gives_each_role_the_expected_status_on_every_url(client, world, alice, bob, erin, role):
    user = _users(alice, bob, erin)[role]
    wrong = []
    for name, route in all_routes():
        rule = _rule_for(name, route)
        if rule is None:
            continue  # reported by test_it_has_a_rule_for_every_url
        url = _url(route, _values(rule, world))
        client.logout()
        if user is not None:
            client.force_login(user)
        status = client.get(url).status_code
        if status not in rule.expected(role):
            wrong.append(f"{role} GET {url} ({name}): {status}, expected {sorted(rule.expected(role))}")
    assert not wrong, "\n".join(wrong)


def test_it_refuses_every_post_on_the_member_objects_to_an_outsider(client, world, bob):
    """Nothing an outsider posts to a URL naming Acme's objects may succeed."""
    client.force_login(bob)
    wrong = []
    for name, route in all_routes():
        rule = _rule_for(name, route)
        if rule is None or not rule.objects:
            continue
        if name == "runs:run_public":
            continue  # a Data Center connector is every signed-in user's to run (issue 22)
        url = _url(route, _values(rule, world))
        status = client.post(url).status_code
        if status not in DENIED:
            wrong.append(f"outsider POST {url} ({name}): {status}")
    assert not wrong, "\n".join(wrong)
    submission = Submission.objects.get(pk=world["submission"])
    assert submission.state in ("submitted", "in_review") and submission.beta_state == "active"


def test_it_sends_anonymous_users_to_sign_in_on_every_portal_page(client, world):
    for name, route in all_routes():
        rule = _rule_for(name, route)
        if rule is None or rule.anonymous != LOGIN or route.startswith("admin/") or name in ("home", "favicon"):
            continue
        response = client.get(_url(route, _values(rule, world)))
        assert response["Location"].startswith("/accounts/login/"), name
