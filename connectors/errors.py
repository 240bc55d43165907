"""Refusals of the connector services. Each carries a message a person can act on."""

from portal.errors import PortalError


class DuplicateName(PortalError):
    """Another connector of the same company already has this name: people could not tell them apart."""

    field = "name"


class ConnectorLocked(PortalError):
    """The connector has an open submission, so its content is frozen."""

    status = 409


class IncompleteConnector(PortalError):
    """Submit refused: parts required before submitting are missing or invalid."""

    def __init__(self, missing):
        self.missing = list(missing)
        super().__init__(
            "The connector cannot be submitted yet: " + "; ".join(part.message for part in self.missing)
        )


class InvalidSubmission(PortalError):
    """The submission form itself is wrong (e.g. OAuth 2.0 without test credentials)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class SelfPublishRefused(PortalError):
    status = 409

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__(" ".join(self.reasons))


class InvalidBundle(PortalError):
    """Wraps a BundleError so the view/API can show where the problem is."""

    def __init__(self, error):
        self.error = error
        self.file = getattr(error, "file", None)
        self.json_path = getattr(error, "json_path", None)
        super().__init__(str(error))
