from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Review"

    def ready(self):
        from connectors import editor_findings, last_check, review_links, review_queue
        from portal.row_urls import row_url
        from review.pages.summary import review_feedback_for_editor
        from review.pipeline import receivers  # noqa: F401  (they connect to signals)
        from review.selectors import machine_work_pending
        from review.views.check import last_check_errors

        editor_findings.register_reader(review_feedback_for_editor)
        last_check.register_reader(last_check_errors)
        # connectors links to these pages without naming review's URLs (docs/design.md).
        review_links.register_links(
            status=lambda pk: row_url("review:status", pk),
            code=lambda pk: row_url("review:code", pk),
            check_now=lambda pk: row_url("review:check_now", pk),
            check_result=lambda pk: row_url("review:check_result", pk),
        )
        review_queue.register_active_reviews(machine_work_pending)
