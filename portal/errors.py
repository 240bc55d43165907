"""Refusals a user can cause, shared by every app. Each carries a message a person can act on."""


class PortalError(Exception):
    """Base class: views turn it into a message on the page, the API into JSON."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TransitionRefused(PortalError):
    """The submission is not in a state that allows this step (someone else may have moved it)."""

    status = 409
