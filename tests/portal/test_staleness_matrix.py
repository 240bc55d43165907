"""Every cached page x every kind of write, by the service and by the admin: the next view
shows the change. "Shows" is checked against the page rendered without the cache
(CACHED_PAGE_PARTS=false), so a stale part fails whatever the write changed; each write
must also change at least one page, so no row of the matrix passes by writing nothing.

The cached pages are enumerated from the code (every function that calls
portal.fragments.cached_part): a page added without its row here fails
test_every_cached_page_has_its_row.
"""

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from connectors import services
from connectors.bundle.reader import read_bundle
from connectors.models import Company, Membership, Submission
from portal.permissions import REVIEW_ENGINEERS_GROUP
from review import claims, contests, conversation
from review import services as review_services
from review.engine import EngineConfig, run_review
from review.models import Finding, Phase, PhaseStatus, ReviewPhase, Waiver
from review.waivers import waiver_grant, waiver_revoke
from tests.conftest import approve
from tests.review.admin_support import PROCESS_FINDING, decision, in_review

pytestmark = pytest.mark.usefixtures("empty_cache")
ROOT = Path(__file__).resolve().parents[2]


# -- the cached pages -------------------------------------------------------------------------

def _get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code in (200, 404, 410), (url, response.status_code)
    return f"[{response.status_code}]" + response.content.decode()


PAGES = {
    "review.views.status.status": lambda c, s: (
        _get(c, reverse("review:status", args=[s.live.pk]))
        + _get(c, reverse("review:status", args=[s.live.pk]), HTTP_HX_REQUEST="true")),
    "review.views.code.code": lambda c, s: _get(c, reverse("review:code", args=[s.live.pk]) + "?file=processdata.js"),
    "connectors.views.develop.develop": lambda c, s: _get(c, reverse("connectors:develop")),
    "connectors.views.published.data_center": lambda c, s: (
        _get(c, reverse("submissions:data_center")) + _get(c, reverse("submissions:data_center") + "?q=sales")),
    "connectors.views.published.public_connector": lambda c, s: _get(
        c, reverse("submissions:public_connector", args=[s.listed.pk])),
}


def _callers_of_cached_part() -> set[str]:
    found = set()
    for path in ROOT.glob("*/**/*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {"tests", ".venv", "bench"} or "migrations" in parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", "")) == "cached_part"
                for call in ast.walk(node)
            ):
                found.add(".".join([*path.relative_to(ROOT).with_suffix("").parts, node.name]))
    return found


def test_every_cached_page_has_its_row():
    assert _callers_of_cached_part() == set(PAGES)


# -- the writes ---------------------------------------------------------------------------------

class Scene:
    """alice's connector in review (`live`, shared with her company), another one listed in the Data Center
    (`listed`), erin the engineer, a superuser for the admin's model pages."""

    def __init__(self, import_connector, alice, erin, admin_client, engineer_client):
        self.alice, self.erin = alice, erin
        self.admin, self.engineer = admin_client, engineer_client
        self.listed = approve(services.connector_submit(
            connector=import_connector("sales-crm"), user=alice, visibility="public"))
        self.live = in_review(import_connector("sales-crm-xhr"), alice, visibility="company")

    def refresh(self):
        self.live = Submission.objects.get(pk=self.live.pk)
        self.listed = Submission.objects.get(pk=self.listed.pk)

    def admin_url(self, name, *args):
        return reverse(f"admin:connectors_submission_{name}", args=[self.live.pk, *args])


def _post(client, url, data):
    response = client.post(url, data)
    assert response.status_code in (200, 302), (url, response.status_code)
    assert response.status_code == 302 or b"errorlist" not in response.content, response.content.decode()[:2000]


def _decide(s, submission, name, data, *args):
    """A decision as the submission page's form posts it, with the page's review token."""
    _post(s.engineer, reverse(f"admin:connectors_submission_{name}", args=[submission.pk, *args]), decision(submission, **data))


def _newer_version_approved(s):
    s.newer = approve(services.connector_submit(connector=s.listed.connector, user=s.alice, visibility="public"))


def _finding(s):
    return Finding.objects.filter(submission=s.live).first()


def _machine_pending(s):
    ReviewPhase.objects.filter(submission=s.live).exclude(phase__in=[Phase.SECURITY, Phase.CODE_REVIEW]).update(
        status=PhaseStatus.PENDING, finished_at=None)


def _all_passed(s):
    ReviewPhase.objects.filter(submission=s.live).update(status=PhaseStatus.PASSED)


def _claimed_and_withdrawn(s):
    _machine_pending(s)
    s.attempt = review_services._claim(s.live.pk)
    services.submission_withdraw(submission=Submission.objects.get(pk=s.live.pk), user=s.alice)


def _store_run(s):
    bundle = read_bundle(bytes(Submission.objects.get(pk=s.live.pk).bundle))
    review_services._store(s.live.pk, s.attempt, run_review(bundle, EngineConfig.from_settings()))


def _granted(s):
    s.waiver = waiver_grant(finding=_finding(s), engineer=s.erin, reason="False positive.")


def _company_rename_by_admin(s):
    company = s.live.connector.company
    page = s.admin.get(reverse("admin:connectors_company_change", args=[company.pk])).content.decode()
    prefix = re.search(r'name="([^"]+)-TOTAL_FORMS"', page).group(1)
    _post(s.admin, reverse("admin:connectors_company_change", args=[company.pk]), {
        "name": "Acme Renamed", "slug": company.slug,
        f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})


def _globex_connector(s):
    globex = Company.objects.get(slug="globex")
    s.globex_connector = services.connector_create(
        company=globex, user=globex.memberships.first().user, name="Globex ledger")


def _sent_back(s):
    services.submission_request_changes(submission=s.live, user=s.erin, note="Fix it.")


def _contested(s):
    _sent_back(s)
    contests.contest_open(submission=s.live, user=s.alice, body="Look again.")


# name: (prepare before the first view or None, {path: write})
WRITES = {
    "transition: submit": (None, {
        "service": lambda s: services.connector_submit(connector=s.listed.connector, user=s.alice, visibility="public")}),
    "transition: start review": (
        lambda s: setattr(s, "fresh", services.connector_submit(
            connector=s.listed.connector, user=s.alice, visibility="public")),
        {"service": lambda s: services.submission_start_review(submission=s.fresh)}),
    "transition: sign-off": (None, {
        "service": lambda s: review_services.phase_sign_off(
            submission=s.live, phase=Phase.SECURITY, engineer=s.erin, passed=True, note="Looked fine."),
        "admin": lambda s: _decide(s, s.live, "sign_off", {"decision": "pass", "note": "Looked fine."}, Phase.SECURITY)}),
    "transition: approve": (_all_passed, {
        "service": lambda s: services.submission_approve(submission=s.live, user=s.erin),
        "admin": lambda s: _decide(s, s.live, "approve", {"note": ""})}),
    "transition: auto-approve": (_all_passed, {
        "service": lambda s: services.submission_auto_approve(submission=s.live, reason="Code unchanged.")}),
    # The same code as the listed version: the worker carries the sign-offs over and approves.
    "sign-offs carried over by the worker": (
        lambda s: setattr(s, "fresh", services.connector_submit(
            connector=s.listed.connector, user=s.alice, visibility="public")),
        {"service": lambda s: review_services.review_submission_now(s.fresh.pk)}),
    "transition: request changes": (None, {
        "service": lambda s: services.submission_request_changes(submission=s.live, user=s.erin, note="Fix it."),
        "admin": lambda s: _decide(s, s.live, "request_changes", {"note": "Fix it."})}),
    "transition: withdraw": (None, {
        "service": lambda s: services.submission_withdraw(submission=s.live, user=s.alice)}),
    "transition: checks fail": (None, {
        "service": lambda s: services.submission_fail_checks(submission=s.live, summary="1 error")}),
    "transition: self-publish a beta": (None, {
        "service": lambda s: services.submission_self_publish(submission=s.live, user=s.alice)}),
    "transition: beta expired by the job": (
        lambda s: services.submission_self_publish(submission=s.live, user=s.alice),
        {"service": lambda s: services.betas_expire_due(now=timezone.now() + timedelta(days=365))}),
    "transition: take down a version": (None, {
        "service": lambda s: services.submission_take_down(submission=s.listed, user=s.erin, reason="Broken."),
        "admin": lambda s: _decide(s, s.listed, "take_down", {"scope": "version", "reason": "Broken."})}),
    "transition: take down a connector": (None, {
        "service": lambda s: services.connector_take_down(connector=s.listed.connector, user=s.erin, reason="Malware."),
        "admin": lambda s: _decide(s, s.listed, "take_down", {"scope": "connector", "reason": "Bad."})}),
    "transition: unpublish": (None, {
        "service": lambda s: services.connector_unpublish(connector=s.listed.connector, user=s.alice, reason="Retired.")}),
    "transition: re-list": (
        lambda s: services.submission_take_down(submission=s.listed, user=s.erin, reason="Broken."),
        {"service": lambda s: services.submission_relist(submission=s.listed, user=s.erin, reason="Fixed."),
         "admin": lambda s: _decide(s, s.listed, "relist", {"scope": "version", "reason": "Fixed."})}),
    "transition: roll back": (_newer_version_approved, {
        "service": lambda s: services.submission_roll_back_to(submission=s.listed, user=s.erin, reason="Broken."),
        "admin": lambda s: _decide(s, s.listed, "roll_back", {"reason": "Broken."})}),
    "phase stored by the worker": (_machine_pending, {
        "service": lambda s: review_services._claim(s.live.pk),
        "admin": lambda s: _saved(ReviewPhase.objects.get(submission=s.live, phase=Phase.CODE_REVIEW),
                                  status=PhaseStatus.FAILED, note="Saved as the admin saves it.")}),
    "withdrawal during a run": (_claimed_and_withdrawn, {"service": _store_run}),
    "run broke after a withdrawal": (_claimed_and_withdrawn, {
        "service": lambda s: review_services.review_mark_error(s.live.pk, "RuntimeError: died")}),
    "finding": (None, {
        "service": lambda s: Finding.objects.create(
            submission=s.live, review_phase=ReviewPhase.objects.get(submission=s.live, phase=Phase.SECURITY),
            **{**PROCESS_FINDING, "rule": "no-eval", "phase": Phase.SECURITY, "line": 5})}),
    "waiver granted": (None, {
        "service": _granted,
        "admin": lambda s: _decide(s, s.live, "waive", {"reason": "False positive."}, _finding(s).pk)}),
    "waiver revoked": (_granted, {
        "service": lambda s: waiver_revoke(waiver=s.waiver, engineer=s.erin),
        "admin": lambda s: _decide(s, s.live, "revoke_waiver", {}, s.waiver.pk)}),
    "waiver edited": (_granted, {
        "admin": lambda s: _saved(Waiver.objects.get(pk=s.waiver.pk), reason="Edited reason.")}),
    "message": (None, {
        "service": lambda s: conversation.message_post(submission=s.live, user=s.erin, body="Which endpoint?"),
        "admin": lambda s: _post(s.engineer, s.admin_url("ask"), {"body": "Which endpoint?"})}),
    # The Develop row's "Question to answer" badge goes with the answer (issue 20, item 1).
    "answer": (lambda s: conversation.message_post(submission=s.live, user=s.erin, body="Which endpoint?"), {
        "service": lambda s: conversation.message_post(submission=s.live, user=s.alice, body="The deals one.")}),
    # Who has the review (issue 21, item 6): a history row the developers see.
    "review assigned": (None, {
        "service": lambda s: claims.submission_assign(submission=s.live, engineer=s.erin),
        "admin": lambda s: _post(s.engineer, s.admin_url("assign"), {})}),
    "review unassigned": (lambda s: claims.submission_assign(submission=s.live, engineer=s.erin), {
        "service": lambda s: claims.submission_unassign(submission=s.live, engineer=s.erin),
        "admin": lambda s: _post(s.engineer, s.admin_url("unassign"), {})}),
    # Issue 21, item 7: the standard reasons show in "What to fix".
    "transition: request changes with standard reasons": (None, {
        "service": lambda s: services.submission_request_changes(
            submission=s.live, user=s.erin, note="", reasons=["no-xmlhttprequest"]),
        "admin": lambda s: _decide(s, s.live, "request_changes", {"note": "", "reasons": ["incomplete"]})}),
    # Issue 21, item 5: a contest and its answer (upheld, or reversed back into review).
    "contest opened": (_sent_back, {
        "service": lambda s: contests.contest_open(submission=s.live, user=s.alice, body="Look again.")}),
    "contest upheld": (_contested, {
        "service": lambda s: contests.contest_answer(submission=s.live, user=s.erin, reverse=False, body="It stands."),
        "admin": lambda s: _decide(s, s.live, "answer_contest", {"outcome": "upheld", "body": "It stands."})}),
    "contest reversed": (_contested, {
        "service": lambda s: contests.contest_answer(submission=s.live, user=s.erin, reverse=True, body="Agreed."),
        "admin": lambda s: _decide(s, s.live, "answer_contest", {"outcome": "reversed", "body": "Agreed."})}),
    "rename: connector": (None, {
        "service": lambda s: services.connector_create(company=s.live.connector.company, user=s.alice,
                                                       name="Billing feed")}),
    "rename: company": (None, {
        "service": lambda s: _saved(Company.objects.get(pk=s.live.connector.company_id), name="Acme Renamed"),
        "admin": _company_rename_by_admin}),
    "membership change": (_globex_connector, {
        "service": lambda s: Membership.objects.create(user=s.alice, company=s.globex_connector.company),
        "admin": lambda s: _post(s.admin, reverse("admin:connectors_membership_add"),
                                 {"user": s.alice.pk, "company": s.globex_connector.company_id})}),
}


def _saved(row, **fields):
    # A model save, as the admin's change form (or a shell) writes a row with no service.
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()


CELLS = [(write, path) for write, (_, paths) in WRITES.items() for path in paths]


@pytest.fixture
def scene(import_connector, alice, erin, bob, client, django_user_model):
    from django.test import Client

    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    admin_client, engineer_client = Client(), Client()
    admin_client.force_login(root)
    engineer_client.force_login(erin)
    assert erin.groups.filter(name=REVIEW_ENGINEERS_GROUP).exists()
    client.force_login(alice)
    return Scene(import_connector, alice, erin, admin_client, engineer_client)


def _normal(html: str) -> str:
    # Per-response values: CSRF tokens, and "N seconds ago" (a part may be up to
    # PART_SECONDS old by the clock; the time itself is in the datetime attribute).
    html = re.sub(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r"(<time [^>]*>)[^<]*(</time>)", r"\1\2", html)


@pytest.mark.parametrize(("write", "path"), CELLS, ids=[f"{w} ({p})" for w, p in CELLS])
def test_the_next_view_shows_the_write(write, path, scene, client, settings):
    prepare, paths = WRITES[write]
    if prepare:
        prepare(scene)
        scene.refresh()
    before = {name: _normal(page(client, scene)) for name, page in PAGES.items()}  # fills the cache
    paths[path](scene)
    scene.refresh()
    shown = {name: _normal(page(client, scene)) for name, page in PAGES.items()}
    settings.CACHED_PAGE_PARTS = False
    fresh = {name: _normal(page(client, scene)) for name, page in PAGES.items()}
    stale = [name for name in PAGES if shown[name] != fresh[name]]
    if stale:  # the first lines that differ, for the failure's report
        import difflib

        print("\n".join(list(difflib.unified_diff(shown[stale[0]].splitlines(), fresh[stale[0]].splitlines(), lineterm=""))[:40]))
    assert not stale, f"{write} ({path}) is not shown by {stale}"
    assert any(before[name] != fresh[name] for name in PAGES), f"{write} ({path}) changed no page"
