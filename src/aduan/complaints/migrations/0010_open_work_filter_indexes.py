"""Partial indexes of the open cases per channel, unit and service type (issue 17).

Only the cases still in process are indexed, a small share of a big table, but building them
reads the whole table: on PostgreSQL they are built CONCURRENTLY (the migration is not atomic),
so registrations and status changes go on while they build. On SQLite (a single writer) they
are built as usual, and when the database keeps planner statistics (sqlite_stat1, made by an
ANALYZE) the table is analysed again: new indexes without statistics beside old ones with them
made SQLite pick worse plans for the open work (6.8 ms instead of 0.9, overdue 15.9 instead of
1.1 at 1,050,000 cases). A database without statistics stays without. Build times are in
docs/benchmarks.md.
"""

from django.db import migrations, models

OPEN = ['clarified', 'concluded', 'disposition_proposed', 'dispositioned', 'followed_up',
        'incomplete', 'received', 'reopened', 'responded', 'verified']


class AddIndexConcurrentlyOnPostgres(migrations.AddIndex):
    """AddIndex, built with CREATE INDEX CONCURRENTLY on PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(model, self.index, concurrently=True)
        else:
            schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(model, self.index, concurrently=True)
        else:
            schema_editor.remove_index(model, self.index)


def analyse_if_analysed(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("ANALYZE complaints_complaint")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('complaints', '0009_figure_day_covering'),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name='complaint',
            index=models.Index(condition=models.Q(('status__in', OPEN)),
                               fields=['office', 'channel', '-received_at', '-id'],
                               name='cmp_open_channel'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='complaint',
            index=models.Index(condition=models.Q(('status__in', OPEN)),
                               fields=['office', 'unit', '-received_at', '-id'],
                               name='cmp_open_unit'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='complaint',
            index=models.Index(condition=models.Q(('status__in', OPEN)),
                               fields=['office', 'service_type', '-received_at', '-id'],
                               name='cmp_open_service'),
        ),
        migrations.RunPython(analyse_if_analysed, migrations.RunPython.noop, elidable=True),
    ]
