"""The engineers' admin: the review queue, the submission page and the access log.

Only review engineers (staff in the "Review engineers" group) and superusers get in;
other staff get 403. Nothing here edits a submission by hand: the page is read-only
and its buttons post to views that call the services.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, OuterRef, Prefetch, Subquery, Value, When
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from connectors.models import OPEN_STATES, ReviewState, Submission
from portal.admin import EngineerOnlyAdmin
from portal.permissions import user_is_review_engineer
from review import claims
from review.admin import changes_views as admin_changes
from review.admin import claim_views
from review.admin import queue as admin_queue
from review.admin import submission_views as admin_views
from review.models import Contest, InstructionsAccess, PhaseStatus, ReviewPhase, Waiver
from review.selectors import recently_auto_approved

CONTESTED = "contested"


class QueueStateFilter(admin.SimpleListFilter):
    """The queue shows open submissions unless asked otherwise."""

    title = "state"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        states = [(s.value, s.label) for s in ReviewState if s != ReviewState.DRAFT]
        return [("open", "Open (submitted or in review)"), (CONTESTED, "Contested (waiting for an answer)"),
                *states, ("all", "All")]

    def queryset(self, request, queryset):
        value = self.value() or "open"
        if value == "open":
            return queryset.filter(state__in=OPEN_STATES)
        if value == CONTESTED:  # review.contests: the developers' contest of a decision, not answered yet
            return queryset.filter(contests__outcome=Contest.Outcome.OPEN)
        if value == "all":
            return queryset
        return queryset.filter(state=value)

    def choices(self, changelist):
        current = self.value() or "open"
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


class PhaseStatusFilter(admin.SimpleListFilter):
    title = "a phase that is"
    parameter_name = "phase_status"

    def lookups(self, request, model_admin):
        return PhaseStatus.choices

    def queryset(self, request, queryset):
        if self.value() in PhaseStatus.values:
            return queryset.filter(phases__status=self.value()).distinct()
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    """Whose reviews (review.claims): mine, nobody's yet, or a colleague's."""

    title = "assigned to"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "Assigned to me"), ("none", "Unassigned"), ("others", "Assigned to someone else")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "none":
            return queryset.filter(assigned_to__isnull=True)
        if self.value() == "others":
            return queryset.filter(assigned_to__isnull=False).exclude(assigned_to=request.user)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "due date"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(state__in=OPEN_STATES, due_at__lt=now)
        if self.value() == "no":
            return queryset.exclude(state__in=OPEN_STATES, due_at__lt=now)
        return queryset


# What the queue's columns read (list_display), with the keys that join them.
QUEUE_COLUMNS = ("id", "name", "number", "state", "visibility", "beta_state", "due_at", "submitted_at",
                 "connector__id", "connector__company__id", "connector__company__name",
                 "assigned_to__id", "assigned_to__username", "assigned_to__first_name", "assigned_to__last_name")
CONNECTOR_DRAFT_FIELDS = ("authentication_script", "processdata_script", "samples", "parameters",
                          "oauth2_client_secret", "auth_fields", "oauth2", "description")


@admin.register(Submission)
class SubmissionAdmin(EngineerOnlyAdmin):
    list_display = ["submission", "company", "state", "contested", "visibility", "beta_state", "phase_summary",
                    "assignee", "due", "age"]
    list_display_links = ["submission"]
    list_filter = [QueueStateFilter, AssignedFilter, "visibility", PhaseStatusFilter, OverdueFilter]
    actions = ["assign_to_me", "unassign"]

    def action_checkbox(self, obj):
        # Django's renders a CheckboxInput through the form templates for each row: a fifth
        # of the queue's render at 50 rows (bench/load). The same input, written directly.
        return format_html('<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
                           ACTION_CHECKBOX_NAME, obj.pk, f"Select this object for an action - {obj}")

    # The version's own name, as submitted (connector_submit copies it): the queue does not
    # move when a developer edits or renames the draft, and an old version keeps its name.
    search_fields = ["name", "connector__company__name"]
    ordering = ["due_at", "pk"]
    list_per_page = 50
    # "50 of 12,345 total" would count the whole table a second time on every page.
    show_full_result_count = False
    list_select_related = ["connector__company", "assigned_to"]
    # The snapshot's bundle, tokens and secrets are never form fields; code and
    # findings are laid out by the template.
    fieldsets = [
        (None, {"fields": [
            ("connector", "number", "visibility"),
            ("state", "beta_state", "beta_expires_at"),
            ("submitted_by", "submitted_at", "due_at", "ended_at"),
            ("content_hash", "secrets_purged_at"),
        ]}),
    ]
    change_form_template = "admin/review/submission/change_form.html"
    change_list_template = "admin/review/submission/change_list.html"

    class Media:  # the queue's and the review page's styles; inline ones are refused by the CSP
        css = {"all": ["css/admin.css"]}
        # Jump links land below the sticky actions bar, whatever its height (issue 20).
        js = ["js/review-admin.js"]

    def review_queryset(self, request):
        """The submissions an engineer reviews, for the submission page and its actions."""
        return (
            super()
            .get_queryset(request)
            .exclude(state=ReviewState.DRAFT)
            # The instructions are deferred so they are decrypted only by the explicit read.
            .defer("instructions", "bundle")
            .annotate(
                has_instructions=Case(
                    When(instructions="", then=Value(False)), default=Value(True), output_field=BooleanField()
                )
            )
            .select_related("connector", "connector__company", "assigned_to")
            # The draft's scripts and samples come along with select_related unless told not to.
            .defer(*(f"connector__{name}" for name in CONNECTOR_DRAFT_FIELDS))
        )

    def get_queryset(self, request):
        """The queue (Django's ChangeList, and the admin's delete and history pages): only the
        columns it shows, and each row's phases in one query (status and name, not details)."""
        return (
            super()
            .get_queryset(request)
            .exclude(state=ReviewState.DRAFT)
            .only(*QUEUE_COLUMNS)
            # The "contested" column: the open contest's text, in the rows' own query.
            .annotate(contest_text=Subquery(Contest.objects.filter(
                submission=OuterRef("pk"), outcome=Contest.Outcome.OPEN).values("message__body")[:1]))
            .prefetch_related(Prefetch(
                "phases", queryset=ReviewPhase.objects.only("submission_id", "phase", "status").order_by("position")))
        )

    # --- the queue's columns ------------------------------------------------------------

    @admin.display(description="submission", ordering="name")
    def submission(self, obj):
        return f"{obj.name} v{obj.number}"

    @admin.display(description="company", ordering="connector__company__name")
    def company(self, obj):
        return obj.connector.company.name

    @admin.display(description="contested")
    def contested(self, obj):
        return admin_queue.contested(obj)

    @admin.display(description="phases")
    def phase_summary(self, obj):
        return admin_queue.phase_summary(obj)

    @admin.display(description="assigned to", ordering="assigned_to__username")
    def assignee(self, obj):
        return claims.engineer_name(obj.assigned_to) if obj.assigned_to_id else admin_queue.EMPTY

    # --- the queue's actions: who has which review (review.claims) -------------------------

    def has_claim_permission(self, request):
        return user_is_review_engineer(request.user)

    @admin.action(description="Assign the selected submissions to me", permissions=["claim"])
    def assign_to_me(self, request, queryset):
        claim_views.bulk_assign(self, request, queryset, to_me=True)

    @admin.action(description="Unassign the selected submissions", permissions=["claim"])
    def unassign(self, request, queryset):
        claim_views.bulk_assign(self, request, queryset, to_me=False)

    @admin.display(description="due", ordering="due_at")
    def due(self, obj):
        return admin_queue.due(obj)

    @admin.display(description="age", ordering="submitted_at")
    def age(self, obj):
        return admin_queue.age(obj)

    # --- the submission page and its actions ----------------------------------------------

    def review_object(self, request, object_id) -> Submission:
        # The phases and findings are read by review.pages.summary, once.
        try:
            return self.review_queryset(request).get(pk=object_id)
        except (Submission.DoesNotExist, ValueError):
            raise Http404("No such submission.") from None

    def get_object(self, request, object_id, from_field=None):
        # The change page's only fetch of the submission; a missing one is a 404 rather than a redirect.
        return self.review_object(request, object_id)

    def changelist_view(self, request, extra_context=None):
        # Django's "Select submission to view" says nothing of what the list is. Above the
        # queue, what the portal approved by itself (review.carry_over), for a later look.
        # Contests wait outside the open queue (their submissions ended): say how many, with their filter.
        waiting = Contest.objects.filter(outcome=Contest.Outcome.OPEN).count()
        return super().changelist_view(request, {"title": "Review queue",
                                                 "recently_auto_approved": recently_auto_approved(),
                                                 "contests_waiting": waiting,
                                                 "contested_url": f"?{QueueStateFilter.parameter_name}={CONTESTED}",
                                                 **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Checked before the fetch, so other staff get 403 whatever the id.
        if not self.has_view_permission(request):
            raise PermissionDenied
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(admin_views.review_page_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name

        def action(view):
            @require_POST
            def wrapped(request, object_id, **kwargs):
                if not user_is_review_engineer(request.user):
                    raise PermissionDenied
                return view(self, request, self.review_object(request, object_id), **kwargs)

            return self.admin_site.admin_view(wrapped)

        return [
            path("<path:object_id>/instructions/", action(admin_views.instructions_view), name="%s_%s_instructions" % info),
            path("<path:object_id>/sign-off/<str:phase>/", action(admin_views.sign_off_view), name="%s_%s_sign_off" % info),
            path("<path:object_id>/approve/", action(admin_views.approve_view), name="%s_%s_approve" % info),
            path("<path:object_id>/request-changes/", action(admin_views.request_changes_view), name="%s_%s_request_changes" % info),
            path("<path:object_id>/waive/<int:finding_id>/", action(admin_changes.waive_view), name="%s_%s_waive" % info),
            path("<path:object_id>/revoke-waiver/<int:waiver_id>/", action(admin_changes.revoke_waiver_view),
                 name="%s_%s_revoke_waiver" % info),
            path("<path:object_id>/take-down/", action(admin_views.take_down_view), name="%s_%s_take_down" % info),
            path("<path:object_id>/relist/", action(admin_views.relist_view), name="%s_%s_relist" % info),
            path("<path:object_id>/roll-back/", action(admin_views.roll_back_view), name="%s_%s_roll_back" % info),
            path("<path:object_id>/ask/", action(admin_views.ask_view), name="%s_%s_ask" % info),
            path("<path:object_id>/assign/", action(claim_views.assign_view), name="%s_%s_assign" % info),
            path("<path:object_id>/unassign/", action(claim_views.unassign_view), name="%s_%s_unassign" % info),
            path("<path:object_id>/answer-contest/", action(admin_views.answer_contest_view),
                 name="%s_%s_answer_contest" % info),
            *super().get_urls(),
        ]


@admin.register(InstructionsAccess)
class InstructionsAccessAdmin(EngineerOnlyAdmin):
    """The access log: read-only for everyone, superusers included, so it cannot be rewritten."""

    list_display = ["accessed_at", "username", "submission"]
    list_filter = ["accessed_at"]
    list_select_related = ["submission", "submission__connector"]
    search_fields = ["username", "submission__connector__name"]
    date_hierarchy = "accessed_at"

    def get_queryset(self, request):
        # Listing reads must not decrypt what the log is about.
        return super().get_queryset(request).defer("submission__instructions", "submission__bundle", "submission__scripts")


@admin.register(Waiver)
class WaiverAdmin(EngineerOnlyAdmin):
    """Every connector's waivers in one list; granted and revoked from the submission page
    (review.admin.changes_views), so each change is a history row, never an edit here."""

    list_display = ["connector", "rule", "file", "reason", "granted_by_name", "granted_at", "until", "revoked_at"]
    list_filter = ["rule", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["connector", "connector__company"]
    search_fields = ["connector__name", "rule", "file", "reason", "granted_by_name"]
    exclude = ["anchor_hash"]

    @admin.display(description="until")
    def until(self, obj):
        return obj.until_label
