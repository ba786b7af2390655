import secrets

from django.db import migrations, models


def number_existing_conversations(apps, schema_editor):
    """Gives every conversation made before visitor numbers a random number,
    distinct among its specialist's conversations (the rule new ones follow;
    see messaging.models.free_visitor_number)."""
    Conversation = apps.get_model("messaging", "Conversation")
    taken = {}
    for conversation in Conversation.objects.order_by("pk").iterator():
        numbers = taken.setdefault(conversation.specialist_id, set())
        low, high = (1000, 10000) if len(numbers) < 9000 else (10000, 100000)
        number = low + secrets.randbelow(high - low)
        while number in numbers:
            number = low + secrets.randbelow(high - low)
        numbers.add(number)
        conversation.visitor_number = number
        conversation.save(update_fields=["visitor_number"])


class Migration(migrations.Migration):

    dependencies = [
        ("messaging", "0003_conversation_keeps_when_specialist_leaves"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="visitor_number",
            field=models.PositiveIntegerField(
                editable=False, null=True, verbose_name="visitor number"
            ),
        ),
        migrations.RunPython(number_existing_conversations, migrations.RunPython.noop),
    ]
