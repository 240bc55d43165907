"""One connector name per company in the database (case and outer spaces ignored).

Until now only the services checked, so two simultaneous creates could both take a
name. Existing clashes are renamed first, the way an upload is numbered: the oldest
keeps the name, the others get the next free "Name (2)", "Name (3)"...
"""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

MAX_LENGTH = 100


def _key(name):
    return name.strip().upper()


def number_clashes(apps, schema_editor):
    Connector = apps.get_model("connectors", "Connector")
    rows = Connector.objects.order_by("company_id", "pk").values_list("company_id", "pk", "name")
    by_company = {}
    for company_id, pk, name in rows:
        by_company.setdefault(company_id, []).append((pk, name))
    for connectors in by_company.values():
        used = {_key(name) for _pk, name in connectors}
        seen = set()
        for pk, name in connectors:
            if _key(name) not in seen:
                seen.add(_key(name))
                continue
            number = 2
            while True:
                suffix = f" ({number})"
                candidate = name[: MAX_LENGTH - len(suffix)].rstrip() + suffix
                if _key(candidate) not in used:
                    break
                number += 1
            used.add(_key(candidate))
            seen.add(_key(candidate))
            Connector.objects.filter(pk=pk).update(name=candidate)


class Migration(migrations.Migration):

    dependencies = [
        ('connectors', '0004_issue11_listed_flag'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(number_clashes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='connector',
            constraint=models.UniqueConstraint(
                models.F('company'), django.db.models.functions.text.Upper(django.db.models.functions.text.Trim('name')),
                name='one_connector_name_per_company'),
        ),
    ]
