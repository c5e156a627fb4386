from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gerai.accounts.models import CitizenProfile
from gerai.accounts.services import user_password_set
from gerai.core.actors import Actor
from gerai.notifications.services import outbox_enqueue_email


class RegisterForm(forms.Form):
    full_name = forms.CharField(label=_("Full name (as on your KTP)"), max_length=150)
    identifier = forms.CharField(
        label=_("Email address or mobile number"),
        max_length=254,
        help_text=_("We send your tracking codes and updates here."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        help_text=_("At least 8 characters, not only digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label=_("Email address or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name (as on your KTP)"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=20,
        help_text=_("The 16-digit number on your KTP or Kartu Keluarga."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}))
    sex = forms.ChoiceField(label=_("Sex"), choices=CitizenProfile.Sex.choices, widget=forms.RadioSelect)
    address = forms.CharField(label=_("Address"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    desa = forms.ChoiceField(label=_("Desa/kelurahan where you live"), required=False)


class NotificationForm(forms.Form):
    notify_channel = forms.ChoiceField(
        label=_("How should we send you updates?"),
        choices=[("email", _("Email")), ("whatsapp", "WhatsApp"), ("sms", "SMS")],
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=20,
        help_text=_("For WhatsApp or SMS, e.g. 0812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Language of our messages"),
        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
        widget=forms.RadioSelect,
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("For example the app or system that uses it.")
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset flow (signed, single-use links), with the message sent through the outbox so a
    mail server that is down delays it instead of losing it."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        with transaction.atomic():
            outbox_enqueue_email(
                to=to_email,
                user=context["user"],
                region=None,
                template=email_template_name,
                context={
                    "path": reverse("accounts:password_reset_confirm", args=[context["uid"], context["token"]]),
                    "user": context["user"],
                },
                subject=str(_("Set a new password for Gerai")),
            )


class AuditedSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def save(self, commit=True):
        user_password_set(actor=self.actor, user=self.user, password=self.cleaned_data["new_password1"])
        return self.user


class InvitationAcceptForm(forms.Form):
    password = forms.CharField(
        label=_("Choose a password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), required=False
    )
