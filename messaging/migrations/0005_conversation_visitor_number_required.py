from django.db import migrations, models


class Migration(migrations.Migration):
    """Separate from 0004, so that on PostgreSQL the rows it numbered are
    committed before the column changes again."""

    dependencies = [
        ("messaging", "0004_conversation_visitor_number"),
    ]

    operations = [
        migrations.AlterField(
            model_name="conversation",
            name="visitor_number",
            field=models.PositiveIntegerField(
                editable=False, verbose_name="visitor number"
            ),
        ),
        migrations.AddConstraint(
            model_name="conversation",
            constraint=models.UniqueConstraint(
                fields=("specialist", "visitor_number"),
                name="one_visitor_number_per_specialist",
            ),
        ),
    ]
