"""The Data Center's listed flag (one indexed filter instead of an anti-join), set for
the rows that exist; on PostgreSQL the full-text index of the listed rows; the review
queue's index (open submissions by due date)."""

from django.db import migrations, models

# A copy of connectors.search.CREATE_SQL and DROP_SQL as they were when written: a
# migration must not change when the code does (tests/connectors/test_data_center_listing.py compares).
CREATE_SQL = [
    "ALTER TABLE connectors_submission ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, COALESCE(name, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(description, '')), 'B')) STORED",
    "CREATE INDEX IF NOT EXISTS submission_listed_search ON connectors_submission USING gin (search_vector) WHERE listed",
]
DROP_SQL = ["DROP INDEX IF EXISTS submission_listed_search",
            "ALTER TABLE connectors_submission DROP COLUMN IF EXISTS search_vector"]


def mark_listed(apps, schema_editor):
    Submission = apps.get_model("connectors", "Submission")
    newest = {}
    for connector_id, pk, visibility in (
        Submission.objects.filter(state="approved").order_by("connector_id", "number")
        .values_list("connector_id", "pk", "visibility")
    ):
        newest[connector_id] = (pk, visibility)
    ids = [pk for pk, visibility in newest.values() if visibility == "public"]
    for start in range(0, len(ids), 500):
        Submission.objects.filter(pk__in=ids[start:start + 500]).update(listed=True)


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE_SQL:
            schema_editor.execute(sql)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP_SQL:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("connectors", "0003_remove_membership_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="listed",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(condition=models.Q(("listed", True)), fields=["name", "id"],
                               name="submission_listed_by_name"),
        ),
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(condition=models.Q(("state__in", ["submitted", "in_review"])), fields=["due_at", "id"],
                               name="submission_open_by_due"),
        ),
        migrations.RunPython(mark_listed, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
