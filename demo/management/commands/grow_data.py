"""Grow the data to N connectors, for the load bench (bench/load/run.py).

Spread like a real portal: 100 companies, Acme with 108 connectors, the rest shared
out evenly. One connector per company-sized batch goes through the real services and
the real review (so the snapshots, phases and findings are what the portal makes);
the other rows are bulk copies of that one in a mix of states, with the history rows
and the listed flag the services would have written:

  40%  approved, public, one version        10%  approved public twice (v2 listed)
  10%  submitted (company only)             10%  in review (public), checks done
  10%  changes requested                    10%  approved, company only
  10%  never submitted (draft)

Users: one developer per company (`dev-<company slug>`, Acme's is `dev-acme`) and one
review engineer (`load-engineer`), all given --password on every run (without it, new
users get no usable password).
"""

from __future__ import annotations

import itertools
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from connectors import services
from connectors.models import (
    BetaState,
    Company,
    Connector,
    ConnectorFile,
    Membership,
    ReviewState,
    Submission,
    SubmissionEvent,
    Visibility,
)
from portal.permissions import REVIEW_ENGINEERS_GROUP
from review.models import Finding, Phase, PhaseStatus, ReviewPhase

BUNDLE = settings.BASE_DIR / "demo" / "bundles" / "sales-crm"
FIRST = ["Billing", "Sales", "Payroll", "Inventory", "Weather", "Marketing", "Support", "Shipping",
         "Finance", "Recruiting", "Analytics", "Ads", "Survey", "Calendar", "Email", "Social"]
SECOND = ["CRM", "Export", "Feed", "Sync", "Reports", "Metrics", "Tracker", "Connector", "API", "Insights"]
# (review state, visibility, versions) by connector index modulo 10; None: a draft.
PLAN = [
    (ReviewState.APPROVED, Visibility.PUBLIC, 1), (ReviewState.APPROVED, Visibility.PUBLIC, 1),
    (ReviewState.APPROVED, Visibility.PUBLIC, 1), (ReviewState.APPROVED, Visibility.PUBLIC, 1),
    (ReviewState.APPROVED, Visibility.PUBLIC, 2), (ReviewState.SUBMITTED, Visibility.COMPANY, 1),
    (ReviewState.IN_REVIEW, Visibility.PUBLIC, 1), (ReviewState.CHANGES_REQUESTED, Visibility.PUBLIC, 1),
    (ReviewState.APPROVED, Visibility.COMPANY, 1), None,
]
BATCH = 1000


class Command(BaseCommand):
    help = "Grow the data to N connectors over 100 companies (Acme with 108), for the load bench."

    def add_arguments(self, parser):
        parser.add_argument("--connectors", type=int, default=10_000)
        parser.add_argument("--companies", type=int, default=100)
        parser.add_argument("--acme", type=int, default=108, help="connectors of Acme")
        parser.add_argument("--password", default="", help="password of the users created")

    def handle(self, *args, connectors, companies, acme, password, **options):
        if companies < 1 or acme > connectors:
            raise CommandError("Need at least one company and no more Acme connectors than connectors.")
        started = time.monotonic()
        people = self._people(companies, password)
        template = self._template(people)
        existing = Connector.objects.count()
        if existing >= connectors:
            self.stdout.write(f"{existing} connectors already; nothing to add.")
            return
        counts = self._spread(list(people["companies"]), connectors, acme)
        added = 0
        for company, wanted in counts:
            have = Connector.objects.filter(company=company).count()
            if wanted > have:
                self._bulk(company, people["developers"][company.pk], people["engineer"], template, have, wanted - have)
                added += wanted - have
        if added and connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics, or the planner guesses from empty tables
                cursor.execute("ANALYZE")
        self.stdout.write(f"Added {added} connectors in {time.monotonic() - started:.1f} s; "
                          f"{Connector.objects.count()} connectors, {Submission.objects.count()} submissions, "
                          f"{Submission.objects.filter(listed=True).count()} listed in the Data Center.")

    # -- people ----------------------------------------------------------------------

    def _people(self, companies: int, password: str) -> dict:
        users = get_user_model().objects
        names = ["Acme"] + [f"Load Company {i:03}" for i in range(1, companies)]
        out = {"companies": [], "developers": {}}
        engineers, _ = Group.objects.get_or_create(name=REVIEW_ENGINEERS_GROUP)
        for name in names:
            company, _ = Company.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
            user = self._user(users, f"dev-{company.slug}", password)
            Membership.objects.get_or_create(user=user, company=company)
            out["companies"].append(company)
            out["developers"][company.pk] = user
        out["engineer"] = self._user(users, "load-engineer", password, is_staff=True)
        out["engineer"].groups.add(engineers)
        return out

    @staticmethod
    def _user(users, username: str, password: str, **extra):
        user, created = users.get_or_create(username=username, defaults={"email": f"{username}@example.com", **extra})
        if password:  # the bench signs in with a new password each run
            user.set_password(password)
            user.save()
        elif created:
            user.set_unusable_password()
            user.save()
        return user

    @staticmethod
    def _spread(companies: list, total: int, acme: int) -> list[tuple]:
        rest = companies[1:]
        if not rest:
            return [(companies[0], total)]
        share, extra = divmod(total - acme, len(rest))
        return [(companies[0], acme)] + [(c, share + (1 if i < extra else 0)) for i, c in enumerate(rest)]

    # -- one real submission, reviewed by the real engine ----------------------------

    def _template(self, people) -> dict:
        """The snapshot and review every bulk row copies: one connector through the services."""
        from review import services as review_services

        acme = people["companies"][0]
        developer = people["developers"][acme.pk]
        connector = Connector.objects.filter(company=acme, name="Load template").first()
        if connector is None:
            connector = services.connector_import_bundle(company=acme, user=developer, source=BUNDLE)
            Connector.objects.filter(pk=connector.pk).update(name="Load template")
            connector.refresh_from_db()
            submission = services.connector_submit(connector=connector, user=developer, visibility="company")
            review_services.review_submission_now(submission.pk)
        submission = connector.submissions.order_by("-number").first()
        return {
            "connector": connector,
            "submission": submission,
            "files": list(connector.files.values("path", "content")),
            "phases": list(ReviewPhase.objects.filter(submission=submission).values()),
            "findings": list(Finding.objects.filter(submission=submission).values()),
        }

    # -- the bulk rows ---------------------------------------------------------------

    def _bulk(self, company, developer, engineer, template, start: int, count: int) -> None:
        source: Connector = template["connector"]
        snap: Submission = template["submission"]
        now = timezone.now()
        for offset in range(0, count, BATCH):
            with transaction.atomic():
                batch = range(start + offset, start + min(offset + BATCH, count))
                connectors = Connector.objects.bulk_create([
                    self._connector(source, company, developer, i) for i in batch
                ])
                ConnectorFile.objects.bulk_create([
                    ConnectorFile(connector=c, path=f["path"], content=f["content"])
                    for c in connectors for f in template["files"]
                ])
                rows = []
                for i, connector in zip(batch, connectors):
                    # Offset by company, so even a company of 3 connectors gets a mix.
                    plan = PLAN[(i + company.pk) % len(PLAN)]
                    if plan is None:
                        continue
                    state, visibility, versions = plan
                    for number in range(1, versions + 1):
                        rows.append(self._submission(snap, connector, developer, state, visibility, number,
                                                     versions, now - timedelta(days=i % 90, minutes=number)))
                submissions = Submission.objects.bulk_create(rows)
                self._history(submissions, developer, engineer)
                self._review(submissions, template, engineer)

    @staticmethod
    def _connector(source: Connector, company, developer, i: int) -> Connector:
        first, second = FIRST[i % len(FIRST)], SECOND[(i // len(FIRST)) % len(SECOND)]
        return Connector(
            company=company, name=f"{first} {second} {company.slug[-3:]}-{i}",
            description=f"{first} data from the {second} API of {company.name}: imports {first.lower()} records daily.",
            auth_method=source.auth_method, auth_fields=source.auth_fields, hosts=source.hosts,
            reports=source.reports, parameters=source.parameters, samples=source.samples,
            authentication_script=source.authentication_script, processdata_script=source.processdata_script,
            created_by=developer,
        )

    @staticmethod
    def _submission(snap, connector, developer, state, visibility, number, versions, submitted_at) -> Submission:
        latest = number == versions
        # An older version of a twice-approved connector was approved too; of anything
        # else only the newest version exists.
        ended = state in (ReviewState.APPROVED, ReviewState.CHANGES_REQUESTED)
        return Submission(
            connector=connector, number=number, bundle=snap.bundle, content_hash=snap.content_hash,
            manifest={**snap.manifest, "name": connector.name, "description": connector.description},
            name=connector.name, description=connector.description, scripts=snap.scripts,
            uses_oauth2=False, has_discovery_parameter=False, visibility=visibility, submitted_by=developer,
            submitted_at=submitted_at, due_at=submitted_at + timedelta(days=settings.REVIEW_DUE_DAYS),
            ended_at=submitted_at + timedelta(days=2) if ended else None,
            state=state, beta_state=BetaState.NONE,
            listed=latest and state == ReviewState.APPROVED and visibility == Visibility.PUBLIC,
        )

    @staticmethod
    def _history(submissions, developer, engineer) -> None:
        steps = {
            ReviewState.SUBMITTED: [("submit", "draft", "submitted", developer)],
            ReviewState.IN_REVIEW: [("submit", "draft", "submitted", developer),
                                    ("start_review", "submitted", "in_review", None)],
            ReviewState.APPROVED: [("submit", "draft", "submitted", developer),
                                   ("start_review", "submitted", "in_review", None),
                                   ("approve", "in_review", "approved", engineer)],
            ReviewState.CHANGES_REQUESTED: [("submit", "draft", "submitted", developer),
                                            ("start_review", "submitted", "in_review", None),
                                            ("request_changes", "in_review", "changes_requested", engineer)],
        }
        SubmissionEvent.objects.bulk_create([
            SubmissionEvent(submission=s, field="state", transition=name, source=source, target=target, actor=actor)
            for s in submissions for name, source, target, actor in steps[s.state]
        ], batch_size=BATCH)

    @staticmethod
    def _review(submissions, template, engineer) -> None:
        reviewed = [s for s in submissions if s.state != ReviewState.SUBMITTED]
        skip = {"id", "submission_id", "review_phase_id"}
        phases = ReviewPhase.objects.bulk_create([
            ReviewPhase(**{k: v for k, v in p.items() if k not in skip}, submission=s)
            for s in reviewed for p in template["phases"]
        ], batch_size=BATCH)
        for phase in phases:  # the humans signed the phases of every decided review
            if phase.submission.state in (ReviewState.APPROVED,) and phase.phase in (Phase.SECURITY, Phase.CODE_REVIEW):
                phase.status, phase.engineer = PhaseStatus.PASSED, engineer
        ReviewPhase.objects.bulk_update(
            [p for p in phases if p.engineer_id], ["status", "engineer"], batch_size=BATCH
        )
        by_key = {(p.submission_id, p.phase): p for p in phases}
        Finding.objects.bulk_create([
            Finding(**{k: v for k, v in f.items() if k not in skip}, submission=s,
                    review_phase=by_key[(s.pk, f["phase"])])
            for s, f in itertools.product(reviewed, template["findings"]) if (s.pk, f["phase"]) in by_key
        ], batch_size=BATCH)
