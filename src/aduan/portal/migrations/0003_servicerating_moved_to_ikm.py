from django.db import migrations


class Migration(migrations.Migration):
    """ServiceRating now belongs to the ikm app (ikm.0001_survey): forget it here without
    touching the table, which ikm keeps under its old name."""

    dependencies = [
        ("portal", "0002_rating_elements_none_or_all_nine"),
        ("ikm", "0001_survey"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="ServiceRating")],
        ),
    ]
