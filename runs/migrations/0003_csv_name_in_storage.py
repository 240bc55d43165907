"""A run's CSV is named in the "live_runs" storage (runs.csv_store), not by a local path.

The CSVs written before were run-<pk>.csv in LIVE_RUN_DIR, which is the storage's folder:
their path becomes that name, so no CSV kept until now is lost.
"""

from pathlib import PurePath

from django.db import migrations


def paths_to_names(apps, schema_editor):
    LiveRun = apps.get_model("runs", "LiveRun")
    for run in LiveRun.objects.exclude(csv_name="").only("pk", "csv_name"):
        LiveRun.objects.filter(pk=run.pk).update(csv_name=PurePath(run.csv_name).name)


class Migration(migrations.Migration):
    dependencies = [("runs", "0002_schedule_csv_purge")]

    operations = [
        migrations.RenameField("liverun", "csv_path", "csv_name"),
        migrations.RunPython(paths_to_names, migrations.RunPython.noop),
    ]
