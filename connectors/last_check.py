"""Whether this user's last Check now of the saved draft failed, for the Submit dialog.

A developer who saw Check now fail and pressed Submit read "Congratulations!", then
"Changes requested" seconds later. Check now is the review's (its result sits in the
user's session and django-q2's task table): review registers the reader when it starts
(review.apps), as it does for the editor's findings; without it the answer is 0.
"""

from __future__ import annotations

from typing import Callable

from connectors.models import Connector

_reader: Callable[[object, Connector], int] | None = None


def register_reader(reader: Callable[[object, Connector], int]) -> None:
    global _reader
    _reader = reader


def failed_check_errors(request, connector: Connector) -> int:
    """The errors of the user's last Check now when it failed on the draft as saved now; 0 otherwise."""
    return _reader(request, connector) if _reader is not None else 0
