from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Review"

    def ready(self):
        from connectors import editor_findings
        from review import receivers  # noqa: F401  (connects to connectors.signals.submission_changed)
        from review.summary import review_feedback_for_editor

        editor_findings.register_reader(review_feedback_for_editor)
