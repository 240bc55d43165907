from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        # Connected at start-up, not when the auth backends are first loaded: a user saved
        # by a process that never signed anyone in (a worker, a shell) must still move the
        # cached user every other process reads.
        from portal import auth_backend  # noqa: F401
