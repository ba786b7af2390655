import datetime

from django.db import migrations, models


def end_on_the_same_day(apps, schema_editor):
    """Each existing single date off becomes a one-day range."""
    DateOff = apps.get_model("consultations", "DateOff")
    DateOff.objects.update(end=models.F("start"))


class Migration(migrations.Migration):

    dependencies = [
        ("consultations", "0005_calendar_feed"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="dateoff",
            name="one_date_off_per_day",
        ),
        migrations.RenameField(
            model_name="dateoff",
            old_name="date",
            new_name="start",
        ),
        migrations.AddField(
            model_name="dateoff",
            name="end",
            field=models.DateField(null=True, verbose_name="until"),
        ),
        migrations.RunPython(end_on_the_same_day, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="dateoff",
            name="end",
            field=models.DateField(verbose_name="until"),
        ),
        migrations.AlterField(
            model_name="dateoff",
            name="start",
            field=models.DateField(verbose_name="from"),
        ),
        migrations.AlterModelOptions(
            name="dateoff",
            options={
                "ordering": ["start"],
                "verbose_name": "dates off",
                "verbose_name_plural": "dates off",
            },
        ),
        migrations.AddConstraint(
            model_name="dateoff",
            constraint=models.CheckConstraint(
                condition=models.Q(("end__gte", models.F("start"))),
                name="date_off_ends_on_or_after_start",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="weeklywindow",
            name="window_ends_after_start",
        ),
        migrations.AddConstraint(
            model_name="weeklywindow",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("end__gt", models.F("start")),
                    ("end", datetime.time(0, 0)),
                    _connector="OR",
                ),
                name="window_ends_after_start",
            ),
        ),
    ]
