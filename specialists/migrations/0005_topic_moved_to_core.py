from django.db import migrations, models


class Migration(migrations.Migration):
    """State only: Topic moved to core with its table (see core 0001); the
    specialists_specialist_topics table and its columns stay as they are."""

    dependencies = [
        ("core", "0001_initial"),
        ("specialists", "0004_free_slots"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="specialist",
                    name="topics",
                    field=models.ManyToManyField(blank=True, related_name="specialists", to="core.topic"),
                ),
            ],
        ),
    ]
