from django.db import migrations, models


class Migration(migrations.Migration):
    """State only: Topic moved to core with its table (see core 0001). Every
    field that pointed at articles.Topic now points at core.Topic, so the old
    model can leave Django's state; the table is core's now and stays."""

    dependencies = [
        ("articles", "0001_initial"),
        ("core", "0001_initial"),
        # Their fields must point at core.Topic before articles.Topic goes.
        ("questions", "0002_topic_moved_to_core"),
        ("specialists", "0005_topic_moved_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="topics",
                    field=models.ManyToManyField(blank=True, related_name="articles", to="core.topic"),
                ),
                migrations.DeleteModel(name="Topic"),
            ],
        ),
    ]
