"""What accounts keeps about a person, for their "download my data" page."""


def account_of(user) -> dict:
    profile = getattr(user, "citizen", None)
    data = {
        "login": user.login_shown,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "date_joined": user.date_joined.isoformat(),
        "notify_channel": user.notify_channel,
        "language": user.language,
    }
    if profile is not None:
        data["citizen_profile"] = {
            "nik": profile.nik,
            "birth_date": profile.birth_date.isoformat(),
            "sex": profile.sex,
            "address": profile.address,
            "desa": profile.desa_id,
        }
    return data
