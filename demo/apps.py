from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (seed_demo) and the sample bundles it is built from; it may use every app."""

    name = "demo"
    verbose_name = "Demo data"
