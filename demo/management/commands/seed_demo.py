"""Demo data for development: two companies, three users, connectors in every state.

Idempotent: users, companies and connectors are looked up by name, and a connector
that exists already is left as it is, so running it twice gives the same data.
Development only: every password is "demo".
"""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from connectors import services
from connectors.models import Company, Connector, Membership, Submission
from portal.permissions import REVIEW_ENGINEERS_GROUP
from review import services as review_services
from review.conversation import message_post

DEMO_PASSWORD = "demo"
BUNDLES = Path(settings.BASE_DIR) / "demo" / "bundles"

# (company, connector name, bundle, what to do with it)
CONNECTORS = [
    ("Acme", "Example Sales CRM", "sales-crm", "draft"),
    ("Acme", "Sales CRM (beta running)", "sales-crm", "beta_active"),
    ("Acme", "Sales CRM (in review)", "sales-crm", "in_review"),
    ("Acme", "Sales CRM (private, approved)", "sales-crm", "approved_company"),
    ("Acme", "Sales CRM (beta expired)", "sales-crm", "beta_expired"),
    ("Acme", "Sales CRM (withdrawn)", "sales-crm", "withdrawn"),
    ("Acme", "Sales CRM with XMLHttpRequest", "sales-crm-xhr", "changes_requested"),
    ("Acme", "Example Tasks (OAuth 2.0)", "oauth2-tasks", "approved_public"),
    ("Globex", "Example Workspaces", "workspaces-discovery", "approved_public"),
    ("Globex", "Workspaces (submitted)", "workspaces-discovery", "submitted"),
]


class Command(BaseCommand):
    help = "Create (or keep) the demo companies, users and connectors. Every password is 'demo'."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("seed_demo creates users with the password 'demo': it runs only with DEBUG on.")
        with transaction.atomic():
            users = self._people()
        for company_name, name, bundle, target in CONNECTORS:
            company = Company.objects.get(name=company_name)
            if Connector.objects.filter(company=company, name=name).exists():
                continue
            owner = users["alice" if company_name == "Acme" else "bob"]
            self._build(company, owner, users["erin"], name, bundle, target)
        self.stdout.write("Demo logins (password 'demo'):")
        self.stdout.write("  alice  developer at Acme")
        self.stdout.write("  bob    developer at Globex")
        self.stdout.write("  erin   review engineer (Django admin at /admin/)")

    def _people(self):
        acme, _ = Company.objects.get_or_create(name="Acme", defaults={"slug": "acme"})
        globex, _ = Company.objects.get_or_create(name="Globex", defaults={"slug": "globex"})
        engineers, _ = Group.objects.get_or_create(name=REVIEW_ENGINEERS_GROUP)
        engineers.permissions.set(
            Permission.objects.filter(content_type__app_label__in=["connectors", "review"])
        )
        users = {}
        for username, company, staff in (("alice", acme, False), ("bob", globex, False), ("erin", None, True)):
            user, created = get_user_model().objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.com", "is_staff": staff}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if company:
                Membership.objects.get_or_create(user=user, company=company)
            if staff:
                user.groups.add(engineers)
            users[username] = user
        return users

    def _build(self, company, owner, engineer, name, bundle_dir, target):
        connector = services.connector_import_bundle(company=company, user=owner, source=BUNDLES / bundle_dir)
        services.connector_update(connector=connector, user=owner, name=name)
        if target == "draft":
            return
        visibility = "public" if target == "approved_public" else "company"
        instructions = "Test account: reviewer@example.com / sample-only" if connector.uses_oauth2 else ""
        submission = services.connector_submit(
            connector=connector, user=owner, visibility=visibility, instructions=instructions
        )
        if target == "submitted":
            return
        if target == "withdrawn":
            # With a beta, so the demo also shows a closed one.
            services.submission_self_publish(submission=submission, user=owner)
            services.submission_withdraw(submission=submission, user=owner)
            return
        if target in ("beta_active", "beta_expired"):
            submission = services.submission_self_publish(submission=submission, user=owner)
            if target == "beta_expired":
                # Pretend the beta period has passed, then let the ordinary expiry run.
                Submission.objects.filter(pk=submission.pk).update(
                    beta_expires_at=timezone.now() - timedelta(hours=1)
                )
                services.submission_expire_beta(submission=submission)
            return
        review_services.review_submission_now(submission.pk)
        if target == "in_review":
            # The conversation, so the demo shows a question waiting for an answer.
            message_post(submission=submission, user=engineer,
                         body="Which report should we try first, and with which sample account?")
            return
        if target == "changes_requested":
            return
        for phase in ("security", "code_review"):
            review_services.phase_sign_off(
                submission=submission, phase=phase, engineer=engineer, passed=True, note="Looks good."
            )
        review_services.submission_approve(submission=Submission.objects.get(pk=submission.pk), engineer=engineer)
