"""A sheet with no indicator entered has no index: before this, starting a sheet stored a score of 0 with the
lowest band ("Kurang", grade "D"). Clear those, so that lists, history and the API say "not yet scored"."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def clear_unscored(apps, schema_editor):
    Assessment = apps.get_model("governance", "Assessment")
    Answer = apps.get_model("governance", "Answer")
    entered = Answer.objects.filter(assessment=OuterRef("pk"), value__isnull=False)
    Assessment.objects.filter(~Exists(entered)).update(score=None, predicate="")


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_indices")]

    operations = [migrations.RunPython(clear_unscored, migrations.RunPython.noop)]
