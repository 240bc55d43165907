from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Review"

    def ready(self):
        from review import receivers  # noqa: F401  (connects to connectors.signals.submission_changed)
