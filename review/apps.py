from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Review"

    def ready(self):
        from connectors import editor_findings
        from review import page_scopes, receivers  # noqa: F401  (they connect to signals)
        from review.summary import review_feedback_for_editor

        editor_findings.register_reader(review_feedback_for_editor)
