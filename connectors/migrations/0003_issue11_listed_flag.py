"""The Data Center's listed flag (one indexed filter instead of an anti-join), set for
the rows that exist, and on PostgreSQL the full-text index of the listed rows."""

from django.db import migrations, models

# A copy of connectors.search.CREATE_INDEX_SQL as it was when written: a migration must
# not change when the code does (tests/connectors/test_data_center_search.py compares).
CREATE_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS submission_listed_search ON connectors_submission USING gin (("
    "setweight(to_tsvector('english'::regconfig, COALESCE(name, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(description, '')), 'B'))) WHERE listed"
)
DROP_INDEX_SQL = "DROP INDEX IF EXISTS submission_listed_search"


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
        schema_editor.execute(CREATE_INDEX_SQL)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX_SQL)


class Migration(migrations.Migration):

    dependencies = [
        ("connectors", "0002_submission_name_description"),
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
        migrations.RunPython(mark_listed, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
