from django.apps import AppConfig


class RunsConfig(AppConfig):
    name = "runs"
    verbose_name = "Live runs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.urls import reverse

        from connectors import review_links
        from portal.nav import register_nav
        from runs import checks  # noqa: F401  (registers the host map's start-up check)

        # connectors' pages offer "Run it" without naming this app's URLs (docs/design.md).
        review_links.register_links(
            run_beta=lambda token: reverse("runs:run_beta", args=[token]),
            run_private=lambda token: reverse("runs:run_private", args=[token]),
            run_public=lambda pk: reverse("runs:run_public", args=[pk]),
        )
        # Every live run of a beta or a published connector the user started, newest first.
        register_nav("Runs", "runs:history", section="runs")
