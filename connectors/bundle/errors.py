"""The one error a bundle can raise: what is wrong, in which file, at which JSON path."""

from __future__ import annotations


class BundleError(Exception):
    """A bundle that cannot be read or is not valid against bundle-format.md.

    `message` is written for a person (what is wrong and what to do), `file` is the
    path inside the bundle (or the upload's name) and `json_path` points into
    connector.json, e.g. "$.parameters[2].discovery.mode". Either may be None.
    """

    def __init__(self, message: str, file: str | None = None, json_path: str | None = None):
        # Passing every attribute to Exception keeps the error picklable (task queues).
        super().__init__(message, file, json_path)
        self.message = message
        self.file = file
        self.json_path = json_path

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.json_path, self.message) if part)

    def __repr__(self) -> str:
        return f"BundleError({self.message!r}, file={self.file!r}, json_path={self.json_path!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BundleError):
            return NotImplemented
        return (self.message, self.file, self.json_path) == (other.message, other.file, other.json_path)

    def __hash__(self) -> int:
        return hash((self.message, self.file, self.json_path))

    def as_dict(self) -> dict:
        return {"message": self.message, "file": self.file, "json_path": self.json_path}
