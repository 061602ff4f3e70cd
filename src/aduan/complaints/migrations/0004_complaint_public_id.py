"""Every case gets a public id, the name public output (Open311) uses instead of the tracking
code. Existing cases get theirs here: the column is added empty, filled in batches, then made
unique and required."""

import secrets

from django.db import migrations, models

import aduan.complaints.models

BATCH = 2000


def fill_public_ids(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    used: set[str] = set()
    while True:
        batch = list(Complaint.objects.filter(public_id__isnull=True).only("pk")[:BATCH])
        if not batch:
            return
        for complaint in batch:
            public_id = secrets.token_hex(7)
            while public_id in used:  # 56 bits: a repeat is practically impossible
                public_id = secrets.token_hex(7)
            used.add(public_id)
            complaint.public_id = public_id
        Complaint.objects.bulk_update(batch, ["public_id"])


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0003_add_anonymised_event_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="public_id",
            field=models.CharField(editable=False, max_length=16, null=True,
                                   verbose_name="public id"),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="complaint",
            name="public_id",
            field=models.CharField(
                default=aduan.complaints.models.new_public_id, editable=False,
                help_text="Names the case in public output (Open311); not a tracking code.",
                max_length=16, unique=True, verbose_name="public id"),
        ),
    ]
