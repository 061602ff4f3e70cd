"""Every case gets a public id, the name public output (Open311) uses instead of the tracking
code. Existing cases get theirs here: the column is added empty, filled in batches, then made
unique and required.

On SQLite, making a column unique makes Django rebuild the table (copy, drop, rename). That
would fail on an installed database, whose full-text view and triggers (desk 0001) refer to
complaints_complaint, and dropping the table would drop those triggers. So on SQLite the last
step creates a unique index instead: the same guarantee, without the rebuild. (The column stays
nullable in SQLite's schema; every row has a value, and the model always sets one.)"""

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


class MakeUniqueWithoutRebuild(migrations.AlterField):
    """AlterField; on SQLite only a unique index (see the module's docstring)."""

    INDEX = "complaints_complaint_public_id_uniq"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f'CREATE UNIQUE INDEX "{self.INDEX}" ON '
                                  '"complaints_complaint" ("public_id")')
            return
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{self.INDEX}"')
            return
        super().database_backwards(app_label, schema_editor, from_state, to_state)


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
        MakeUniqueWithoutRebuild(
            model_name="complaint",
            name="public_id",
            field=models.CharField(
                default=aduan.complaints.models.new_public_id, editable=False,
                help_text="Names the case in public output (Open311); not a tracking code.",
                max_length=16, unique=True, verbose_name="public id"),
        ),
    ]
