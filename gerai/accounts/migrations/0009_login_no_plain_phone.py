from django.db import migrations, models


def index_phone_logins(apps, schema_editor):
    """Accounts registered with a mobile number kept it in plain as their sign-in: keep only its blind index
    there (accounts.models.login_key), and the number itself, encrypted, in `phone` where it was missing."""
    from gerai.lib.pii import blind_index, encrypt

    User = apps.get_model("accounts", "User")
    plain = User.objects.filter(
        models.Q(login__startswith="+62") | models.Q(login__startswith="628") | models.Q(login__startswith="08")
    )
    for pk, login, phone in plain.values_list("pk", "login", "phone").iterator(chunk_size=1000):
        number = "+62" + login.removeprefix("+62").removeprefix("62").removeprefix("0")
        index = blind_index(number, purpose="phone")
        changes = {"login": f"tel:{index}"}
        if not phone and not User.objects.filter(phone_index=index).exists():
            changes |= {"phone": encrypt(number), "phone_index": index}
        User.objects.filter(pk=pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_phone_encrypted"),
    ]

    operations = [
        migrations.RunPython(index_phone_logins, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("login__startswith", "+62"), _negated=True),
                    models.Q(("login__startswith", "628"), _negated=True),
                    models.Q(("login__startswith", "08"), _negated=True),
                ),
                name="user_login_no_plain_phone",
            ),
        ),
    ]
