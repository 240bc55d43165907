"""Searching the Data Center: PostgreSQL full-text search, a plain substring match elsewhere.

On PostgreSQL the name (weight A) and the description (weight B) form one tsvector,
stored in a generated column with a GIN index on the listed rows, both created by
migration 0004_issue11_listed_flag (PostgreSQL only: SQLite has neither GIN nor tsvector). Every word
typed is matched as a prefix ("bill" finds "Billing"), and the best matches come first.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

CONFIG = "english"
MAX_TERMS = 8
_WORD = re.compile(r"\w+")

# PostgreSQL only, created by migration 0004_issue11_listed_flag and unknown to the model: a generated
# column holding each row's tsvector (so ranking reads it instead of parsing the text
# again on every search) and a GIN index on it for the listed rows.
COLUMN = "search_vector"
INDEX_NAME = "submission_listed_search"
CREATE_SQL = [
    f"ALTER TABLE connectors_submission ADD COLUMN IF NOT EXISTS {COLUMN} tsvector GENERATED ALWAYS AS ("
    f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE(name, '')), 'A') || "
    f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE(description, '')), 'B')) STORED",
    f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON connectors_submission USING gin ({COLUMN}) WHERE listed",
]
DROP_SQL = [f"DROP INDEX IF EXISTS {INDEX_NAME}", f"ALTER TABLE connectors_submission DROP COLUMN IF EXISTS {COLUMN}"]


def full_text_available() -> bool:
    return connection.vendor == "postgresql"


def prefix_query(text: str) -> str | None:
    """A to_tsquery string matching every word as a prefix, or None when no word is left.

    Only word characters pass, so nothing typed can be tsquery syntax.
    """
    words = _WORD.findall(text.lower())[:MAX_TERMS]
    return " & ".join(f"{word}:*" for word in words) or None


def search(qs: QuerySet, text: str) -> QuerySet:
    """`qs` (listed submissions, ordered by name) narrowed to `text`; on PostgreSQL best matches first."""
    if not full_text_available():
        return qs.filter(Q(name__icontains=text) | Q(description__icontains=text))
    terms = prefix_query(text)
    if terms is None:
        return qs.none()
    column = f"connectors_submission.{COLUMN}"
    query = f"to_tsquery('{CONFIG}'::regconfig, %s)"
    return (
        qs.filter(RawSQL(f"{column} @@ {query}", [terms], output_field=BooleanField()))
        .annotate(rank=RawSQL(f"ts_rank({column}, {query})", [terms], output_field=FloatField()))
        .order_by(F("rank").desc(), "name", "pk")
    )
