import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """State only: Topic moved to core with its table (see core 0001); the
    foreign key column and its constraint stay as they are."""

    dependencies = [
        ("core", "0001_initial"),
        ("questions", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="question",
                    name="topic",
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="questions", to="core.topic", verbose_name="topic"),
                ),
            ],
        ),
    ]
