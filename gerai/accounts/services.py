import datetime as dt
import secrets

import pyotp
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerai.accounts.identifiers import normalize_identifier
from gerai.accounts.models import ApiToken, CitizenProfile, StaffRole, User
from gerai.audit.services import audit_record
from gerai.core.actors import Actor
from gerai.lib import nik as nik_lib
from gerai.regions import wilayah

EMAIL_CONFIRM_SALT = "gerai.accounts.email-confirm"
EMAIL_CONFIRM_MAX_AGE = 3 * 24 * 3600

NIK_MESSAGES = {
    nik_lib.NikError.LENGTH: gettext_lazy("A NIK has exactly 16 digits."),
    nik_lib.NikError.DIGITS: gettext_lazy("A NIK contains digits only."),
    nik_lib.NikError.REGION: gettext_lazy(
        "The first six digits of this NIK are not a kecamatan code in the Kemendagri list."
    ),
    nik_lib.NikError.DAY: gettext_lazy("Digits 7–8 of this NIK are not a valid day of birth."),
    nik_lib.NikError.MONTH: gettext_lazy("Digits 9–10 of this NIK are not a valid month of birth."),
    nik_lib.NikError.DATE: gettext_lazy("Digits 7–12 of this NIK are not a real date."),
    nik_lib.NikError.SERIAL: gettext_lazy("The last four digits of a NIK cannot be 0000."),
    nik_lib.NikError.BIRTH_DATE_MISMATCH: gettext_lazy("The date of birth does not match digits 7–12 of the NIK."),
    nik_lib.NikError.SEX_MISMATCH: gettext_lazy(
        "The sex does not match the NIK (women have 40 added to the day of birth)."
    ),
}


def nik_error_message(code: nik_lib.NikError) -> str:
    return str(NIK_MESSAGES[code])


def nik_validate(raw: str) -> nik_lib.Nik:
    """Parse a NIK or raise ValidationError with a message in the user's language."""
    try:
        return nik_lib.parse(raw, kecamatan_exists=wilayah.kecamatan_exists)
    except nik_lib.NikInvalid as exc:
        raise ValidationError(nik_error_message(exc.code), code=f"nik_{exc.code.value}") from None


def citizen_register(*, actor: Actor, identifier: str, password: str, full_name: str) -> User:
    parsed = normalize_identifier(identifier)
    if parsed is None:
        raise ValidationError({"identifier": _("Enter an email address or an Indonesian mobile number (08…).")})
    kind, value = parsed
    candidate = User(login=value, full_name=full_name, **{kind: value})
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
            audit_record(actor=actor, action="user.register", obj=candidate, changes={"via": kind})
    except IntegrityError:
        raise ValidationError(
            {"identifier": _("An account with this email or number already exists. Sign in instead.")}
        ) from None
    if kind == "email":
        email_confirmation_send(user=candidate)
    return candidate


def email_confirmation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_CONFIRM_SALT)


def email_confirmation_send(*, user: User) -> None:
    from gerai.notifications.services import outbox_enqueue_email

    link = reverse("accounts:confirm_email", kwargs={"token": email_confirmation_token(user)})
    with transaction.atomic():
        outbox_enqueue_email(
            to=user.email,
            user=user,
            region=None,
            template="accounts/email/confirm_email.txt",
            context={"user": user, "path": link},
            subject=_("Confirm your email address for Gerai"),
        )


def email_confirm(*, actor: Actor, token: str) -> User | None:
    try:
        data = signing.loads(token, salt=EMAIL_CONFIRM_SALT, max_age=EMAIL_CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data["u"], email=data["e"]).first()
        if user is None:
            return None
        if user.email_confirmed_at is None:
            user.email_confirmed_at = timezone.now()
            user.save(update_fields=["email_confirmed_at"])
            audit_record(actor=actor, action="user.confirm_email", obj=user)
    return user


def citizen_profile_save(
    *,
    actor: Actor,
    user: User,
    nik: str,
    full_name: str,
    birth_date: dt.date,
    sex: str,
    address: str,
    desa=None,
) -> CitizenProfile:
    try:
        parsed = nik_validate(nik)
    except ValidationError as exc:
        raise ValidationError({"nik": exc.messages}) from None
    try:
        nik_lib.check_person(parsed, birth_date=birth_date, female=sex == CitizenProfile.Sex.FEMALE)
    except nik_lib.NikInvalid as exc:
        field = "birth_date" if exc.code == nik_lib.NikError.BIRTH_DATE_MISMATCH else "sex"
        raise ValidationError({field: nik_error_message(exc.code)}) from None
    try:
        with transaction.atomic():
            profile, created = CitizenProfile.objects.update_or_create(
                user=user,
                defaults={
                    "nik": parsed.value,
                    "birth_date": birth_date,
                    "sex": sex,
                    "address": address,
                    "desa": desa,
                },
            )
            if user.full_name != full_name:
                user.full_name = full_name
                user.save(update_fields=["full_name"])
            # the audit keeps which fields changed, never the NIK or address themselves
            audit_record(
                actor=actor,
                action="citizen.profile_save",
                obj=profile,
                changes={"created": created, "fields": ["nik", "birth_date", "sex", "address", "desa"]},
            )
    except IntegrityError:
        raise ValidationError({"nik": _("This NIK is already registered to another account.")}) from None
    return profile


def notification_preferences_save(*, actor: Actor, user: User, channel: str, phone: str, language: str) -> User:
    """Which channel and language a person's messages use. WhatsApp and SMS need a mobile number."""
    from gerai.accounts.identifiers import normalize_phone

    number = normalize_phone(phone) if phone.strip() else None
    if phone.strip() and number is None:
        raise ValidationError({"phone": _("Enter an Indonesian mobile number, e.g. 0812 3456 7890.")})
    if channel in ("whatsapp", "sms") and not (number or user.phone):
        raise ValidationError({"phone": _("Give your mobile number to get messages by WhatsApp or SMS.")})
    if channel == "email" and not user.email:
        raise ValidationError({"notify_channel": _("Your account has no email address; choose WhatsApp or SMS.")})
    try:
        with transaction.atomic():
            user.notify_channel, user.language = channel, language
            if number:
                user.phone = number
            user.save(update_fields=["notify_channel", "language", "phone"])
            audit_record(
                actor=actor,
                action="user.notification_preferences",
                obj=user,
                changes={"channel": channel, "language": language, "phone_changed": bool(number)},
            )
    except IntegrityError:
        raise ValidationError({"phone": _("This mobile number belongs to another account.")}) from None
    return user


def staff_role_grant(*, actor: Actor, user: User, region, role: str, agency=None, title: str = "") -> StaffRole:
    with transaction.atomic():
        staff_role, _created = StaffRole.objects.get_or_create(
            user=user, region=region, agency=agency, role=role, defaults={"title": title}
        )
        audit_record(
            actor=actor,
            action="staff_role.grant",
            obj=staff_role,
            region=region,
            changes={"user": user.pk, "role": role, "agency": agency.pk if agency else None},
        )
    return staff_role


def totp_begin(*, actor: Actor, user: User) -> str:
    """Give the user a new, unconfirmed TOTP secret (enrolment)."""
    with transaction.atomic():
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed_at = None
        user.save(update_fields=["totp_secret", "totp_confirmed_at"])
        audit_record(actor=actor, action="user.totp_begin", obj=user)
    return user.totp_secret


def totp_verify(user: User, code: str) -> bool:
    if not user.totp_secret:
        return False
    return pyotp.TOTP(user.totp_secret).verify("".join(code.split()), valid_window=1)


def totp_confirm(*, actor: Actor, user: User, code: str) -> bool:
    if not totp_verify(user, code):
        return False
    with transaction.atomic():
        user.totp_confirmed_at = timezone.now()
        user.save(update_fields=["totp_confirmed_at"])
        audit_record(actor=actor, action="user.totp_confirm", obj=user)
    return True


def api_token_create(*, actor: Actor, user: User, name: str) -> tuple[ApiToken, str]:
    token = "gerai_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(user=user, name=name, prefix=token[6:14], digest=ApiToken.digest_of(token))
        audit_record(actor=actor, action="api_token.create", obj=record, changes={"name": name})
    return record, token


def api_token_revoke(*, actor: Actor, token: ApiToken) -> None:
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if updated:
            audit_record(actor=actor, action="api_token.revoke", obj=token)


def user_password_set(*, actor: Actor, user: User, password: str) -> None:
    """Set a new password (after a reset link); signs the user out everywhere else."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=actor, action="user.password_set", obj=user)
