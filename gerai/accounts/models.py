import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerai.accounts.identifiers import normalize_identifier
from gerai.lib.nik import mask
from gerai.lib.pii import EncryptedTextField, blind_index


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, login: str, password: str | None = None, **fields):
        """`login` as typed: an email address, or a mobile number, which is kept only as its blind index
        (and, encrypted, in `phone`)."""
        parsed = normalize_identifier(login)
        if parsed is not None and parsed[0] == "phone":
            fields.setdefault("phone", parsed[1])
            login = login_key(*parsed)
        user = self.model(login=login, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, login: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        if "@" in login:
            fields.setdefault("email", login)
        return self.create_user(login, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a citizen, a staff member, or both. `login` is what the person registered with,
    as `login_key` keeps it: the normalised email address, or for a mobile number only its blind index
    ("tel:<hmac>"), so the database holds no mobile number in plain."""

    login = models.CharField(_("email or mobile number"), max_length=254, unique=True)
    email = models.EmailField(_("email"), null=True, blank=True, unique=True)
    # Encrypted (lib/pii.py), unique and found through its blind index (docs/pdp.md).
    phone = EncryptedTextField(_("mobile number"), null=True, blank=True)
    phone_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=150)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    # Registered on the site and its link not opened yet: no password sign-in until it is (or until a password
    # reset link, which proves the address too). Accounts made by staff, the demo or an admin never wait.
    registration_pending = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)  # Django admin access: platform admins only
    is_demo = models.BooleanField(default=False)
    notify_channel = models.CharField(
        _("how we send you updates"),
        max_length=10,
        choices=[("email", _("Email")), ("whatsapp", "WhatsApp"), ("sms", "SMS")],
        default="email",
    )
    language = models.CharField(_("language of messages"), max_length=5, default="id")
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "login"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    def save(self, *args, **kwargs):
        self.phone_index = phone_index(self.phone) if self.phone else None
        fields = kwargs.get("update_fields")
        if fields is not None and "phone" in fields:
            kwargs["update_fields"] = {*fields, "phone_index"}
        super().save(*args, **kwargs)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # a mobile number is never the sign-in in plain (login_key): an email address has an @, and without
            # one a value may not start like a number (+62…, 628…, 08…)
            models.CheckConstraint(
                condition=models.Q(login__contains="@")
                | (
                    ~models.Q(login__startswith="+62")
                    & ~models.Q(login__startswith="628")
                    & ~models.Q(login__startswith="08")
                ),
                name="user_login_no_plain_phone",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or f"user {self.pk}"

    @property
    def login_shown(self) -> str:
        """The sign-in as its owner may see it: the email address, or the mobile number from `phone`."""
        return (self.phone or "") if self.login.startswith("tel:") else self.login

    @property
    def masked_name(self) -> str:
        """'Siti A***** R*****': for pages where a name must not be read in full."""
        return " ".join(part[0] + "*" * (len(part) - 1) if i else part for i, part in enumerate(self.full_name.split()))

    @property
    def needs_second_factor(self) -> bool:
        return self.is_superuser or self.staff_roles.exists()


class CitizenProfile(models.Model):
    class Sex(models.TextChoices):
        MALE = "L", _("male")
        FEMALE = "P", _("female")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen")
    # encrypted at rest (lib/pii.py); found and kept unique by its blind index
    nik = EncryptedTextField(_("NIK"))
    nik_index = models.CharField(max_length=64, unique=True, editable=False)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    address = models.CharField(_("address"), max_length=300)
    desa = models.ForeignKey("regions.Area", null=True, blank=True, on_delete=models.PROTECT)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return mask(self.nik)

    def save(self, *args, **kwargs):
        self.nik_index = nik_index(self.nik)
        fields = kwargs.get("update_fields")
        if fields is not None and "nik" in fields:
            kwargs["update_fields"] = {*fields, "nik_index"}
        super().save(*args, **kwargs)

    @property
    def nik_masked(self) -> str:
        return mask(self.nik)


def login_key(kind: str, value: str) -> str:
    """What User.login holds for a normalised identifier (accounts.identifiers.normalize_identifier): an
    email address as it is, a mobile number as its blind index. Sign-in, registration and look-ups all go
    through here, and a check constraint refuses a plain number."""
    return f"tel:{phone_index(value)}" if kind == "phone" else value


def phone_index(phone: str) -> str:
    """The blind index a normalised mobile number (+62…) is found by (User.phone_index)."""
    return blind_index(phone, purpose="phone")


def nik_index(nik: str) -> str:
    """The blind index a NIK is found by (CitizenProfile.nik_index)."""
    return blind_index(nik.strip(), purpose="nik")


class StaffRole(models.Model):
    """A staff member's role in one region. Officers and supervisors belong to an agency;
    a region admin's role has no agency."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("officer")
        SUPERVISOR = "supervisor", _("supervisor")
        ADMIN = "admin", _("region admin")
        COORDINATOR = "coordinator", _("complaints coordinator")
        EDITOR = "editor", _("content editor (news, tourism)")
        ENUMERATOR = "enumerator", _("price enumerator")
        TPID = "tpid", _("inflation team member (TPID)")
        ASSESSOR = "assessor", _("performance assessor")
        PLANNER = "planner", _("innovation planner")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="staff_roles")
    agency = models.ForeignKey("regions.Agency", null=True, blank=True, on_delete=models.CASCADE)
    role = models.CharField(max_length=12, choices=Role.choices)
    title = models.CharField(_("position"), max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "agency", "role"], name="staffrole_unique"),
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(agency__isnull=False),
                name="staffrole_agency_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256((settings.SECRET_KEY[:16] + token).encode()).hexdigest()


class StaffInvitation(models.Model):
    """An invitation to work in a region with one role: a link sent to an email address, good once and for a week.
    Only the token's SHA-256 is stored; the link is shown to the inviter once and sent by email."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="staff_invitations")
    email = models.EmailField(_("email"))
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=12, choices=StaffRole.Role.choices)
    agency = models.ForeignKey("regions.Agency", null=True, blank=True, on_delete=models.CASCADE)
    title = models.CharField(_("position"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.region_id}:{self.role}"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(("invite|" + token).encode()).hexdigest()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
