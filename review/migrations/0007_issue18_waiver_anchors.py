"""Waivers' anchors in the issue 18 format (review/waivers.py, finding_anchor).

A waiver of a finding made by what a run sent (data-exfiltration, credential-spread,
data-forwarding, external-request) is now tied to the flagged line AND its message (what
went where); a waiver of a finding without a line in a script, to the file's content.
Each such waiver is re-anchored from the finding it was granted for, on the version it
was granted on, so it keeps meaning exactly what the engineer waived. One whose finding
or version is gone cannot be re-anchored: it is expired (yesterday), not left to match
more than it did. `line:` anchors of the other rules keep their meaning and are untouched.

The anchor logic is copied here, not imported: a migration must not change when the code does.
"""

import hashlib
from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone

SENT_RULES = {"data-exfiltration", "credential-spread", "data-forwarding", "external-request"}
MAX_ANCHOR = 2000


def _anchor(scripts, rule, file, line, message):
    source = scripts.get(file)
    lines = source.splitlines() if source is not None else []
    if line and 0 < line <= len(lines):
        text = lines[line - 1].strip()
        return f"sent:{text}\n{message}" if rule in SENT_RULES else f"line:{text}"
    if source is not None:
        return f"file:{hashlib.sha256(source.encode('utf-8', 'surrogatepass')).hexdigest()}\n{message}"
    return f"message:{message}"


def _hash(rule, file, anchor):
    return hashlib.sha256("\x00".join((rule, file or "", anchor)).encode("utf-8")).hexdigest()


def rewrite_anchors(apps, schema_editor):
    Waiver = apps.get_model("review", "Waiver")
    Finding = apps.get_model("review", "Finding")
    yesterday = timezone.localdate() - timedelta(days=1)
    for waiver in Waiver.objects.all().iterator():
        if waiver.anchor.startswith("line:") and waiver.rule not in SENT_RULES:
            continue  # the same meaning in both formats
        finding = (Finding.objects.filter(waiver=waiver, submission_id=waiver.granted_on_id).order_by("pk").first()
                   if waiver.granted_on_id else None)
        if finding is None:
            if waiver.revoked_at is None and (waiver.expires_on is None or waiver.expires_on > yesterday):
                waiver.expires_on = yesterday
                waiver.save(update_fields=["expires_on"])
            continue
        anchor = _anchor(finding.submission.scripts or {}, finding.rule, finding.file, finding.line, finding.message)
        waiver.anchor = anchor[:MAX_ANCHOR]
        waiver.anchor_hash = _hash(waiver.rule, waiver.file, anchor)
        waiver.save(update_fields=["anchor", "anchor_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("review", "0006_issue12_messages"),
    ]

    operations = [
        migrations.AlterField(
            model_name="waiver",
            name="anchor",
            field=models.TextField(help_text="What the waiver is tied to (review.waivers.finding_anchor): the flagged "
                                             "line's content, with what went where for a finding of what a run sent, "
                                             "or the file's content hash when there is no line."),
        ),
        migrations.RunPython(rewrite_anchors, migrations.RunPython.noop),
    ]
