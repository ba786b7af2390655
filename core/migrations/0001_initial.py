"""Topic moves here from articles. Only Django's picture of the models
changes: the table keeps its name (articles_topic), its rows and every foreign
key and many-to-many table that points at it. The content type moves too, so
permissions given on topics and admin history stay attached."""

from django.db import migrations, models


def move_content_type(from_app, to_app):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        types = ContentType.objects.using(schema_editor.connection.alias)
        # After a migrate back and forth the target may already exist.
        if not types.filter(app_label=to_app, model="topic").exists():
            types.filter(app_label=from_app, model="topic").update(app_label=to_app)

    return move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The table itself was created there.
        ("articles", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Topic",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=80, unique=True, verbose_name="name")),
                        ("slug", models.SlugField(max_length=80, unique=True, verbose_name="slug")),
                    ],
                    options={
                        "verbose_name": "topic",
                        "verbose_name_plural": "topics",
                        "ordering": ["name"],
                        "db_table": "articles_topic",
                    },
                ),
            ],
        ),
        migrations.RunPython(
            move_content_type("articles", "core"), move_content_type("core", "articles")
        ),
    ]
