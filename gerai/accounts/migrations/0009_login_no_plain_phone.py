from django.db import migrations, models


def index_phone_logins(apps, schema_editor):
    """Accounts registered with a mobile number kept it in plain as their sign-in: keep only its blind index
    there (accounts.models.login_key), and the number itself, encrypted, in `phone` where it was missing.

    Only values without an @ that are a mobile number are touched (0812…@mail.id is an email address). Sign-in
    looked up the normalised spelling (+62…), so an account kept under another spelling (0812…, 62812…) could not
    sign in by number: it is indexed too when its number is free, else under an index of its own that no sign-in
    reaches (as before), so no number stays in plain and no two accounts share a sign-in."""
    from gerai.accounts.identifiers import normalize_phone
    from gerai.lib.pii import blind_index, encrypt

    User = apps.get_model("accounts", "User")
    plain = User.objects.exclude(login__contains="@").filter(
        models.Q(login__startswith="+62") | models.Q(login__startswith="628") | models.Q(login__startswith="08")
    )
    rows = list(plain.values_list("pk", "login", "phone"))
    rows.sort(key=lambda row: not row[1].startswith("+62"))  # the spelling sign-in found goes first
    for pk, login, phone in rows:
        number = normalize_phone(login)
        if number is None:  # neither an email address nor a number: no sign-in ever found it
            User.objects.filter(pk=pk).update(login=f"legacy:{login}")
            continue
        index = blind_index(number, purpose="phone")
        key = f"tel:{index}"
        if User.objects.filter(login=key).exists():
            key = f"tel:{index}:{pk}"
        changes = {"login": key}
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
                    ("login__contains", "@"),
                    models.Q(
                        models.Q(("login__startswith", "+62"), _negated=True),
                        models.Q(("login__startswith", "628"), _negated=True),
                        models.Q(("login__startswith", "08"), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="user_login_no_plain_phone",
            ),
        ),
    ]
