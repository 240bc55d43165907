"""Searching the Data Center: PostgreSQL full-text search, a plain substring match elsewhere.

On PostgreSQL the name (weight A) and the description (weight B) form one tsvector;
a GIN index on exactly that expression, limited to listed rows, is created by
migration 0003 (PostgreSQL only: SQLite has neither GIN nor tsvector). Every word
typed is matched as a prefix ("bill" finds "Billing"), and the best matches come first.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import F, Q, QuerySet

CONFIG = "english"
MAX_TERMS = 8
_WORD = re.compile(r"\w+")

# The index expression must be what search_vector() compiles to, or PostgreSQL will
# not use it (bench/load checks with EXPLAIN that it does).
INDEX_NAME = "submission_listed_search"
CREATE_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON connectors_submission USING gin (("
    f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE(name, '')), 'A') || "
    f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE(description, '')), 'B'))) WHERE listed"
)
DROP_INDEX_SQL = f"DROP INDEX IF EXISTS {INDEX_NAME}"


def full_text_available() -> bool:
    return connection.vendor == "postgresql"


def search_vector():
    from django.contrib.postgres.search import SearchVector

    return SearchVector("name", weight="A", config=CONFIG) + SearchVector("description", weight="B", config=CONFIG)


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
    from django.contrib.postgres.search import SearchQuery, SearchRank

    terms = prefix_query(text)
    if terms is None:
        return qs.none()
    query = SearchQuery(terms, search_type="raw", config=CONFIG)
    vector = search_vector()
    return (
        qs.annotate(search=vector)
        .filter(search=query)
        .annotate(rank=SearchRank(vector, query))
        .order_by(F("rank").desc(), "name", "pk")
    )
