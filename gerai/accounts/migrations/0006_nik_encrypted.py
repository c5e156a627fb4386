"""NIK encrypted at rest (gerai/lib/pii.py) and found by its blind index."""

from django.db import migrations, models

import gerai.lib.pii


def seal_existing(apps, schema_editor):
    from gerai.lib.pii import blind_index, encrypt

    Profile = apps.get_model("accounts", "CitizenProfile")
    for profile in Profile.objects.only("pk", "nik").iterator(chunk_size=1000):
        nik = profile.nik  # read through the field: a plain value as it was
        Profile.objects.filter(pk=profile.pk).update(
            nik=encrypt(nik), nik_index=blind_index(nik.strip(), purpose="nik")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_more_staff_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="citizenprofile",
            name="nik_index",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="citizenprofile",
            name="nik",
            field=gerai.lib.pii.EncryptedTextField(verbose_name="NIK"),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="citizenprofile",
            name="nik_index",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
