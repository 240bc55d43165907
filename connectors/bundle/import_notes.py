"""What an import of a Dev Studio export changed, in three groups shown as one summary.

Each note lands in exactly one group, so the page never says "dropped" and "used" about
one value:

- converted: what became part of the connector, with what to check (hosts read from
  the scripts, a field key made from a label, which file won when two disagreed);
- dropped: stored credentials, one note per key and the file it was in, never the value;
- not expressible: what the export holds that this portal has no place for.

`flat_notes` keeps the one-list form the API (`import_notes`) and review_bundle print.
"""

from __future__ import annotations

from dataclasses import dataclass

CONVERTED = "converted"
DROPPED = "dropped"
NOT_EXPRESSIBLE = "not_expressible"
GROUPS = (CONVERTED, DROPPED, NOT_EXPRESSIBLE)

GROUP_TITLES = {
    CONVERTED: "Converted: check these",
    DROPPED: "Dropped: stored credentials",
    NOT_EXPRESSIBLE: "Not expressible here, not imported",
}
# Said once for the whole group rather than after each key.
DROPPED_REASON = ("A bundle never carries credentials, not even as samples. Put fake values in samples.account "
                  "for the sandbox, and give reviewers test credentials in Additional Instructions when you submit.")


@dataclass(frozen=True)
class ImportNote:
    group: str
    text: str
    key: str | None = None  # the dropped credential's key, for DROPPED notes
    where: str | None = None  # and where its value was (a Dev Studio file, an OAuth 2.0 setting)

    def __post_init__(self):
        if self.group not in GROUPS:
            raise ValueError(f"unknown import note group {self.group!r}")

    def __str__(self) -> str:
        return self.text


def converted(text: str) -> ImportNote:
    return ImportNote(CONVERTED, text)


def dropped(key: str, where: str) -> ImportNote:
    """`where` says where the value was: a Dev Studio file, or a place in the OAuth 2.0 settings."""
    return ImportNote(DROPPED, f"{key} ({where})", key=key, where=where)


def not_expressible(text: str) -> ImportNote:
    return ImportNote(NOT_EXPRESSIBLE, text)


def grouped(notes) -> list[tuple[str, str, list[ImportNote]]]:
    """(group, title, notes) for each group that has notes, in GROUPS order."""
    out = []
    for group in GROUPS:
        members = [note for note in notes if note.group == group]
        if members:
            out.append((group, GROUP_TITLES[group], members))
    return out


def flat_notes(notes) -> tuple[str, ...]:
    """One string a note, the dropped keys as one sentence first (the API's import_notes)."""
    drops = [note.text for note in notes if note.group == DROPPED]
    head = [f"Dropped the stored credentials in {'; '.join(drops)}. {DROPPED_REASON}"] if drops else []
    return tuple(head + [note.text for note in notes if note.group != DROPPED])
