"""An application's step is named by its number in the workflow of the version it was filed under (and keeps the
step's name), no longer by a row of the service's live workflow, which a later version may change or remove."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_steps(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    WorkflowStep = apps.get_model("catalog", "WorkflowStep")
    step = WorkflowStep.objects.filter(pk=OuterRef("current_step_id"))
    Application.objects.filter(current_step__isnull=False).update(
        step_order=Subquery(step.values("order")[:1]), step_name=Subquery(step.values("name")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_service_version"),
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="step_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="application",
            name="step_order",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(copy_steps, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="application",
            name="current_step",
        ),
    ]
