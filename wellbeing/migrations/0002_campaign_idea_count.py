from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_ideas_sent_in(apps, schema_editor):
    Campaign = apps.get_model("wellbeing", "Campaign")
    Idea = apps.get_model("wellbeing", "Idea")
    sent_in = (
        Idea.objects.filter(campaign=OuterRef("pk"))
        .exclude(status="draft")
        .order_by()
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Campaign.objects.update(idea_count=Coalesce(Subquery(sent_in), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("wellbeing", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="idea_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_ideas_sent_in, migrations.RunPython.noop),
    ]
