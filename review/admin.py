"""The engineers' admin: the review queue, the submission page and the access log.

Only review engineers (staff in the "Review engineers" group) and superusers get in;
other staff get 403. Nothing here edits a submission by hand: the page is read-only
and its buttons post to views that call the services.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR, IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Value, When
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from connectors.models import OPEN_STATES, ReviewState, Submission
from connectors.page_scopes import REVIEW_QUEUE
from portal.admin import EngineerOnlyAdmin
from portal.fragments import cached_part
from portal.permissions import user_is_review_engineer
from review import admin_changes, admin_queue, admin_views
from review.models import InstructionsAccess, PhaseStatus, ReviewPhase, Waiver


class QueueStateFilter(admin.SimpleListFilter):
    """The queue shows open submissions unless asked otherwise."""

    title = "state"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        states = [(s.value, s.label) for s in ReviewState if s != ReviewState.DRAFT]
        return [("open", "Open (submitted or in review)"), *states, ("all", "All")]

    def queryset(self, request, queryset):
        value = self.value() or "open"
        if value == "open":
            return queryset.filter(state__in=OPEN_STATES)
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


class QueueChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # Rows need phase statuses, not the snapshot's scripts and manifest.
        return super().get_queryset(request, exclude_parameters).defer("scripts", "manifest")

    def get_results(self, request):
        super().get_results(request)
        # A (phase, status) pair per phase in one query: prefetch_related would build a
        # queryset per row, a fifth of the page's time at 50 rows.
        phases = defaultdict(list)
        rows = (ReviewPhase.objects.filter(submission__in=[s.pk for s in self.result_list])
                .order_by("position").values_list("submission_id", "phase", "status"))
        for submission_id, phase, status in rows:
            phases[submission_id].append((phase, status))
        for submission in self.result_list:
            submission.queue_phases = phases[submission.pk]


CONNECTOR_DRAFT_FIELDS = ("authentication_script", "processdata_script", "samples", "parameters",
                          "oauth2_client_secret", "auth_fields", "oauth2", "description")


@admin.register(Submission)
class SubmissionAdmin(EngineerOnlyAdmin):
    list_display = ["submission", "company", "state", "visibility", "beta_state", "phase_summary", "due", "age"]
    list_display_links = ["submission"]
    list_filter = [QueueStateFilter, "visibility", PhaseStatusFilter, OverdueFilter]
    # The version's own name, as submitted (connector_submit copies it): the queue does not
    # move when a developer edits or renames the draft, and an old version keeps its name.
    search_fields = ["name", "connector__company__name"]
    ordering = ["due_at", "pk"]
    list_per_page = 50
    # "50 of 12,345 total" would count the whole table a second time on every page.
    show_full_result_count = False
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

    def get_queryset(self, request):
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
            .select_related("connector", "connector__company")
            # The draft's scripts and samples come along with select_related unless told not to.
            .defer(*(f"connector__{name}" for name in CONNECTOR_DRAFT_FIELDS))
        )

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def changelist_view(self, request, extra_context=None):
        """The queue's content (filters, search, rows, pagination) is one cached part
        (portal.fragments) until a submission, phase or company changes: most views of the
        queue find nothing new, and the ChangeList's count, rows and phases are most of its
        cost. Admin actions (POST), popups, a to_field and the error page take Django's path."""
        if (request.method != "GET" or self.list_editable
                or not {IS_POPUP_VAR, TO_FIELD_VAR, ERROR_FLAG}.isdisjoint(request.GET)):
            return super().changelist_view(request, extra_context)
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        request.current_app = self.admin_site.name
        # What the engineer may do changes the part (the action bar and checkboxes, an Add
        # link), so it is in the key with the query.
        actions = self.get_actions(request)
        may_change = self.has_change_permission(request)
        media, action_form = self.media, None
        if actions:
            action_form = self.action_form(auto_id=None)
            action_form.fields["action"].choices = self.get_action_choices(request)
            media += action_form.media
        context = {
            "opts": self.opts,
            "action_form": action_form,
            "actions_on_top": self.actions_on_top,
            "actions_on_bottom": self.actions_on_bottom,
            "actions_selection_counter": self.actions_selection_counter,
            "has_add_permission": self.has_add_permission(request),
            "preserved_filters": self.get_preserved_filters(request),
        }

        def changelist_context():
            cl = self.get_changelist_instance(request)
            cl.formset = None
            note_all = ngettext("%(total_count)s selected", "All %(total_count)s selected", cl.result_count)
            return {**context, "cl": cl, "selection_note_all": note_all % {"total_count": cl.result_count},
                    "selection_note": gettext("0 of %(cnt)s selected") % {"cnt": len(cl.result_list)}}

        try:
            # The clock moves the age and overdue columns: a part lives 60 s (PART_SECONDS).
            part = cached_part(request, "admin/review/submission/_queue.html", scopes=[REVIEW_QUEUE],
                               key=(sorted(request.GET.lists()), list(actions), context["has_add_permission"], may_change),
                               context=changelist_context)
        except IncorrectLookupParameters:
            # An unknown filter or a page past the end: Django redirects to ?e=1.
            return super().changelist_view(request, extra_context)
        title = gettext("Select %s to change") if may_change else gettext("Select %s to view")
        return TemplateResponse(request, self.change_list_template, {
            **self.admin_site.each_context(request),
            **context,
            "module_name": str(self.opts.verbose_name_plural),
            "title": title % self.opts.verbose_name,
            "subtitle": None,
            "is_popup": False,
            "to_field": None,
            "media": media,
            "queue_part": part,
            **(extra_context or {}),
        })

    # --- the queue's columns ------------------------------------------------------------

    @admin.display(description="submission", ordering="name")
    def submission(self, obj):
        return f"{obj.name} v{obj.number}"

    @admin.display(description="company", ordering="connector__company__name")
    def company(self, obj):
        return obj.connector.company.name

    # The queue's template renders rows with review.admin_queue; these serve the headers and Django's own path.
    @admin.display(description="phases")
    def phase_summary(self, obj):
        return admin_queue.phase_summary(obj)

    @admin.display(description="due", ordering="due_at")
    def due(self, obj):
        return admin_queue.due(obj)

    @admin.display(description="age", ordering="submitted_at")
    def age(self, obj):
        return admin_queue.age(obj)

    # --- the submission page and its actions ----------------------------------------------

    def review_object(self, request, object_id) -> Submission:
        # The phases and findings are read by review.summary, once.
        try:
            return self.get_queryset(request).get(pk=object_id)
        except (Submission.DoesNotExist, ValueError):
            raise Http404("No such submission.") from None

    def get_object(self, request, object_id, from_field=None):
        # The change page's only fetch of the submission; a missing one is a 404 rather than a redirect.
        return self.review_object(request, object_id)

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
            path("<path:object_id>/ask/", action(admin_views.ask_view), name="%s_%s_ask" % info),
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
    (review.admin_changes), so each change is a history row, never an edit here."""

    list_display = ["connector", "rule", "file", "reason", "granted_by_name", "granted_at", "until", "revoked_at"]
    list_filter = ["rule", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["connector", "connector__company"]
    search_fields = ["connector__name", "rule", "file", "reason", "granted_by_name"]
    exclude = ["anchor_hash"]

    @admin.display(description="until")
    def until(self, obj):
        return obj.until_label
