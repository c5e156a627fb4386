import datetime as dt
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import pyotp
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerai.accounts.identifiers import normalize_identifier, normalize_phone
from gerai.accounts.models import ApiToken, CitizenProfile, StaffInvitation, StaffRole, User, login_key, phone_index
from gerai.audit.services import audit_record
from gerai.core.actors import Actor
from gerai.core.errors import DomainError
from gerai.core.models import demo_loaded
from gerai.core.throttle import throttle_allow
from gerai.lib import nik as nik_lib
from gerai.notifications.gateways import gateway_for
from gerai.notifications.services import outbox_enqueue, outbox_enqueue_email
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


NIK_NOT_ACCEPTED = gettext_lazy(
    "This NIK cannot be used for this account. Check it against your KTP or Kartu Keluarga; if it is right, "
    "ask for help at a service counter."
)


def nik_error_message(code: nik_lib.NikError) -> str:
    return str(NIK_MESSAGES[code])


def nik_validate(raw: str) -> nik_lib.Nik:
    """Parse a NIK or raise ValidationError with a message in the user's language."""
    try:
        return nik_lib.parse(raw, kecamatan_exists=wilayah.kecamatan_exists)
    except nik_lib.NikInvalid as exc:
        raise ValidationError(nik_error_message(exc.code), code=f"nik_{exc.code.value}") from None


class _SignInLinks(PasswordResetTokenGenerator):
    """The sign-in part of a registration link: single use (it hashes the last sign-in, which opening it
    changes), valid as long as a password reset link (PASSWORD_RESET_TIMEOUT)."""

    key_salt = "gerai.accounts.register-sign-in"


sign_in_links = _SignInLinks()


def citizen_register(
    *, actor: Actor, identifier: str, password: str, full_name: str, next_path: str = ""
) -> User | None:
    """Register a citizen, or tell the owner of an address that already has an account.

    The answer does not say which happened (like a password reset): a new account gets a message with a
    link that confirms the address and signs in; an existing one gets a message that offers sign-in and a
    password reset. Returns the new user, or None when the address was taken. Only the identifier's form
    and the password's strength are refused on the page (and a mobile number where no text can reach one):
    they say nothing about other people. The new account waits for its link (`registration_pending`): its
    password does not sign in before, so nobody can use an account made with someone else's address."""
    parsed = normalize_identifier(identifier)
    if parsed is None:
        raise ValidationError({"identifier": _("Enter an email address or an Indonesian mobile number (08…).")})
    kind, value = parsed
    if kind == "phone" and phone_text_channel() is None:
        raise ValidationError(
            {"identifier": _("Registering with a mobile number is not available yet. Use an email address.")}
        )
    candidate = User(login=login_key(kind, value), full_name=full_name, registration_pending=True, **{kind: value})
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    candidate.set_password(password)  # hashed either way: a taken address answers as slowly as a new one
    same = Q(login=login_key(kind, value)) | (Q(phone_index=phone_index(value)) if kind == "phone" else Q(email=value))
    existing = User.objects.filter(same).first()
    if existing is None:
        try:
            with transaction.atomic():
                candidate.save()
                audit_record(actor=actor, action="user.register", obj=candidate, changes={"via": kind})
                _registration_message(user=candidate, kind=kind, to=value, next_path=next_path, exists=False)
            return candidate
        except IntegrityError:  # registered a moment ago by someone else
            existing = User.objects.filter(same).first()
            if existing is None:
                raise
    with transaction.atomic():
        audit_record(actor=actor, action="user.register_existing", obj=existing, changes={"via": kind})
        _registration_message(user=existing, kind=kind, to=value, next_path=next_path, exists=True)
    return None


def _registration_message(*, user: User, kind: str, to: str, next_path: str, exists: bool) -> None:
    """The message that finishes a registration, to the address it gave, inside the caller's transaction."""
    if exists:  # in the owner's language; a new account's in the language the page was in
        if not throttle_allow("register", f"to|{to}"):
            return  # nobody fills a stranger's inbox by registering their address over and over
        with translation.override(user.language or settings.LANGUAGE_CODE):
            _registration_message_send(user=user, kind=kind, to=to, next_path=next_path, exists=True)
    else:
        _registration_message_send(user=user, kind=kind, to=to, next_path=next_path, exists=False)


def _registration_message_send(*, user: User, kind: str, to: str, next_path: str, exists: bool) -> None:

    query = "?" + urlencode({"next": next_path}) if next_path else ""
    if exists:
        template = "register_exists"
        context = {
            "user": user,
            "sign_in_path": reverse("accounts:login") + query,
            "reset_path": reverse("accounts:password_reset") if user.email else "",
        }
        subject = _("Someone tried to register on Gerai with your address")
    else:
        template = "register_continue"
        token = email_confirmation_token(user, sign_in=True)
        context = {"user": user, "path": reverse("accounts:confirm_email", kwargs={"token": token}) + query}
        subject = _("Confirm your email address for Gerai")
    if kind == "email":
        outbox_enqueue_email(
            to=to, user=user, region=None, template=f"accounts/email/{template}.txt", context=context, subject=subject
        )
        return
    channel = phone_text_channel()
    if channel is None:  # refused before the account was made; a taken number with no way to reach it
        return
    body = render_to_string(f"accounts/sms/{template}.txt", {**context, "SITE_URL": settings.SITE_URL}).strip()
    outbox_enqueue(channel=channel, to=to, user=user, region=None, event=template, subject="", body=body)


def phone_text_channel() -> str | None:
    """How a registration's text reaches a mobile number: WhatsApp or SMS, whichever is switched on; on the
    demo with neither, "console" (the worker prints it, like the demo's email). None: no way."""
    channel = next((c for c in ("whatsapp", "sms") if gateway_for(c) is not None), None)
    if channel is None and demo_loaded():
        return "console"
    return channel


def email_confirmation_token(user: User, *, sign_in: bool = False) -> str:
    """A link's token: it confirms the email address (if the account has one) for 3 days; with
    `sign_in` it also signs the person in, once (the link of a registration)."""
    data: dict = {"u": user.pk, "e": user.email}
    if sign_in:
        data["t"] = sign_in_links.make_token(user)
    return signing.dumps(data, salt=EMAIL_CONFIRM_SALT)


def email_confirmation_send(*, user: User) -> None:
    if not user.email:
        return  # an account signed up with a mobile number has no address to confirm
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


@dataclass(frozen=True)
class LinkOpened:
    user: User
    sign_in: bool  # the link may sign its owner in (a registration's, first use)


def _link_data(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=EMAIL_CONFIRM_SALT, max_age=EMAIL_CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) and "u" in data and "e" in data else None


def email_link_valid(token: str) -> bool:
    """Whether a confirmation link would work, changing nothing (its page, before the button is pressed)."""
    data = _link_data(token)
    return data is not None and User.objects.filter(pk=data["u"], email=data["e"], is_active=True).exists()


def email_confirm(*, actor: Actor, token: str) -> LinkOpened | None:
    """Use a confirmation link (a POST: its button): confirm the email address it names and end a
    registration's wait for it. None for a bad or old link."""
    data = _link_data(token)
    if data is None:
        return None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data["u"], email=data["e"], is_active=True).first()
        if user is None:
            return None
        fields = []
        if user.email and user.email_confirmed_at is None:
            user.email_confirmed_at = timezone.now()
            fields.append("email_confirmed_at")
        if user.registration_pending:
            user.registration_pending = False
            fields.append("registration_pending")
        if fields:
            user.save(update_fields=fields)
            audit_record(actor=actor, action="user.confirm_email", obj=user, changes={"fields": fields})
    sign_in = bool(data.get("t")) and not user.needs_second_factor and sign_in_links.check_token(user, data["t"])
    return LinkOpened(user=user, sign_in=sign_in)


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
        # the same words as for a NIK that is wrong in a way its digits cannot show: whether a NIK has an
        # account is about someone else (and the form counts new NIKs against a limit)
        raise ValidationError({"nik": NIK_NOT_ACCEPTED}) from None
    return profile


def notification_preferences_save(*, actor: Actor, user: User, channel: str, phone: str, language: str) -> User:
    """Which channel and language a person's messages use. WhatsApp and SMS need a mobile number."""
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
            fields = ["notify_channel", "language", "phone"]
            if number:
                if user.login.startswith("tel:"):  # the number is the sign-in too: it moves with it
                    user.login = login_key("phone", number)
                    fields.append("login")
                user.phone = number
            user.save(update_fields=fields)
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
    """Set a new password (after a reset link); signs the user out everywhere else. The link came to the
    email address, so it confirms it, and ends a registration's wait: whoever registered the address before
    its owner loses the password they chose."""
    with transaction.atomic():
        user.set_password(password)
        fields = ["password"]
        if user.email and user.email_confirmed_at is None:
            user.email_confirmed_at = timezone.now()
            fields.append("email_confirmed_at")
        if user.registration_pending:
            user.registration_pending = False
            fields.append("registration_pending")
        user.save(update_fields=fields)
        audit_record(actor=actor, action="user.password_set", obj=user, changes={"fields": fields[1:]})


# --- staff invitations and deactivation ------------------------------------------------------------------------

INVITATION_DAYS = 7


class StaffError(DomainError):
    statuses = {"invitation_unknown": 404}


def _role_check(*, region, role: str, agency) -> None:
    if role not in StaffRole.Role.values:
        raise StaffError("role_unknown", _("Choose one of the roles."), field="role")
    if role == StaffRole.Role.ADMIN:
        if agency is not None:
            raise StaffError(
                "agency_for_admin",
                _("A region admin works for the whole region: leave the agency empty."),
                field="agency",
            )
        return
    if agency is None:
        raise StaffError("agency_missing", _("Choose the agency this person works for."), field="agency")
    if agency.region_id != region.pk or not agency.is_active:
        raise StaffError("agency_foreign", _("Choose an agency of this region."), field="agency")


def staff_invite(
    *, actor: Actor, region, email: str, full_name: str, role: str, agency=None, title: str = ""
) -> tuple[StaffInvitation, str]:
    """Invite a person by email to a role in the region. Returns the invitation and its token (shown once; the
    link goes out by email too). An open invitation of the same address and role is replaced."""
    email = email.strip().lower()
    full_name = " ".join(full_name.split())
    if not email or "@" not in email:
        raise StaffError("email_invalid", _("Enter an email address."), field="email")
    if not full_name:
        raise StaffError("name_missing", _("Enter the person's full name."), field="full_name")
    _role_check(region=region, role=role, agency=agency)
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        StaffInvitation.objects.filter(
            region=region, email=email, role=role, agency=agency, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        invitation = StaffInvitation.objects.create(
            region=region,
            email=email,
            full_name=full_name,
            role=role,
            agency=agency,
            title=title.strip()[:100],
            digest=StaffInvitation.digest_of(token),
            invited_by=actor.user,
            expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
        )
        outbox_enqueue_email(
            to=email,
            user=None,
            region=region,
            template="accounts/email/staff_invitation.txt",
            context={"invitation": invitation, "path": reverse("accounts:invitation", kwargs={"token": token})},
            subject=_("You are invited to work on Gerai for %(region)s") % {"region": region.name},
        )
        audit_record(
            actor=actor,
            action="staff.invite",
            obj=invitation,
            region=region,
            changes={"role": role, "agency": agency.pk if agency else None},
        )
    return invitation, token


def invitation_for_token(token: str) -> StaffInvitation:
    """The invitation a link names, or a refusal that says why it no longer works."""
    invitation = (
        StaffInvitation.objects.filter(digest=StaffInvitation.digest_of(token or ""))
        .select_related("region", "agency")
        .first()
    )
    if invitation is None:
        raise StaffError(
            "invitation_unknown", _("This invitation link is not valid. Ask your region admin for a new one.")
        )
    if invitation.accepted_at is not None:
        raise StaffError(
            "invitation_used", _("This invitation has been used already. Sign in instead, or ask for a new one.")
        )
    if invitation.revoked_at is not None:
        raise StaffError("invitation_revoked", _("This invitation was withdrawn. Ask your region admin for a new one."))
    if invitation.expires_at <= timezone.now():
        raise StaffError("invitation_expired", _("This invitation has expired. Ask your region admin for a new one."))
    return invitation


def invitation_accept(*, actor: Actor, token: str, password: str = "") -> User:
    """Take up an invitation: the signed-in person (whose email must match) or a new account for the invited
    address, with the chosen password. The role is granted in the same transaction; the link works once."""
    with transaction.atomic():
        invitation = invitation_for_token(token)
        invitation = (
            # of=self: PostgreSQL cannot lock the nullable side of the outer join to an admin's (absent) agency
            StaffInvitation.objects.select_for_update(of=("self",))
            .select_related("region", "agency")
            .get(pk=invitation.pk)
        )
        if invitation.accepted_at is not None:  # two tabs at once
            raise StaffError(
                "invitation_used", _("This invitation has been used already. Sign in instead, or ask for a new one.")
            )
        user = actor.user
        if user is not None and (user.email or "").lower() != invitation.email:
            raise StaffError(
                "invitation_other_account",
                _("This invitation is for another email address. Sign out first, or ask for an invitation to yours."),
            )
        if user is None:
            if User.objects.filter(Q(email__iexact=invitation.email) | Q(login__iexact=invitation.email)).exists():
                raise StaffError(
                    "invitation_sign_in",
                    _("An account with this email address exists: sign in first, then open the link again."),
                )
            try:
                validate_password(password)
            except ValidationError as exc:
                raise StaffError("password_weak", " ".join(exc.messages), field="password") from None
            user = User.objects.create_user(
                invitation.email,
                password,
                email=invitation.email,
                full_name=invitation.full_name,
                email_confirmed_at=timezone.now(),
            )
        StaffRole.objects.get_or_create(
            user=user,
            region=invitation.region,
            agency=invitation.agency,
            role=invitation.role,
            defaults={"title": invitation.title},
        )
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(
            actor=Actor(user=user, ip=actor.ip, via=actor.via),
            action="staff.invitation_accept",
            obj=invitation,
            region=invitation.region,
            changes={"user": user.pk, "role": invitation.role},
        )
    return user


def invitation_revoke(*, actor: Actor, invitation: StaffInvitation) -> None:
    with transaction.atomic():
        if StaffInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        ):
            audit_record(actor=actor, action="staff.invitation_revoke", obj=invitation, region=invitation.region)


def staff_role_set(*, actor: Actor, region, user: User, role: str, agency=None, title: str = "") -> StaffRole:
    """Give a staff member of the region one more role (per agency)."""
    _role_check(region=region, role=role, agency=agency)
    return staff_role_grant(actor=actor, user=user, region=region, role=role, agency=agency, title=title)


def staff_role_revoke(*, actor: Actor, region, staff_role: StaffRole) -> None:
    if staff_role.region_id != region.pk:
        raise StaffError("role_foreign", _("This role is not of this region."))
    with transaction.atomic():
        if (
            staff_role.role == StaffRole.Role.ADMIN
            and not StaffRole.objects.filter(region=region, role=StaffRole.Role.ADMIN)
            .exclude(pk=staff_role.pk)
            .exists()
        ):
            raise StaffError(
                "last_admin", _("The region needs at least one admin: invite another before removing this one.")
            )
        audit_record(
            actor=actor,
            action="staff_role.revoke",
            obj=staff_role,
            region=region,
            changes={"user": staff_role.user_id, "role": staff_role.role, "agency": staff_role.agency_id},
        )
        staff_role.delete()


def staff_deactivate(*, actor: Actor, region, user: User) -> int:
    """A departed staff member: every role of theirs in the region ends (the applications app hands their open
    work back to the queue, on this audit entry's event); an account with no other role and no citizen profile is
    switched off. Returns how many roles ended."""
    with transaction.atomic():
        roles = list(StaffRole.objects.filter(user=user, region=region))
        if not roles:
            raise StaffError("not_staff", _("This person has no role in this region."))
        if (
            any(r.role == StaffRole.Role.ADMIN for r in roles)
            and not StaffRole.objects.filter(region=region, role=StaffRole.Role.ADMIN).exclude(user=user).exists()
        ):
            raise StaffError(
                "last_admin", _("The region needs at least one admin: invite another before removing this one.")
            )
        StaffRole.objects.filter(pk__in=[r.pk for r in roles]).delete()
        switched_off = False
        if (
            not user.is_superuser
            and not StaffRole.objects.filter(user=user).exists()
            and not CitizenProfile.objects.filter(user=user).exists()
        ):
            user.is_active = False
            user.save(update_fields=["is_active"])
            switched_off = True
        audit_record(
            actor=actor,
            action="staff.deactivate",
            obj=user,
            region=region,
            changes={"user": user.pk, "roles": [r.role for r in roles], "account_off": switched_off},
        )
    return len(roles)
