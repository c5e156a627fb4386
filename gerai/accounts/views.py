import json
import time
from typing import cast

import pyotp
from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerai.accounts import services
from gerai.accounts.context_processors import links
from gerai.accounts.forms import (
    AuditedSetPasswordForm,
    CodeForm,
    InvitationAcceptForm,
    LoginForm,
    NotificationForm,
    OutboxPasswordResetForm,
    ProfileForm,
    RegisterForm,
    TokenForm,
)
from gerai.accounts.identifiers import normalize_phone
from gerai.accounts.models import User
from gerai.accounts.policy import office_home
from gerai.accounts.selectors import active_user_get, api_tokens_of, regions_of_staff, staff_roles_in_region
from gerai.core import personal_data
from gerai.core.actors import actor_from_request, client_ip
from gerai.core.middleware import never_compress
from gerai.core.models import demo_loaded
from gerai.core.throttle import throttle_allow, throttle_reset, throttle_window
from gerai.lib.nik import normalize as nik_normalize
from gerai.regions.selectors import village_choices_by_region, village_of_active_region

PENDING_KEY = "gerai_pending_2fa"
PENDING_SECONDS = 300


def _next_url(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _landing(user) -> str:
    """Where a sign-in without `next` goes: a staff member of one region to their own office page (the queue,
    or prices, performance, innovation, news…), the platform admin to /platform/, anyone else home."""
    regions = list(regions_of_staff(user)[:2]) if not user.is_superuser else []
    if len(regions) == 1:
        region = regions[0]
        key = office_home(staff_roles_in_region(user, region), region.modules)
        if key:
            return links(region.slug)[key]
    return reverse("platform:home") if user.is_superuser else "/"


def _signed_in(request, user):
    """The answer to a completed sign-in: `next` when it is safe, else the person's own landing page."""
    return redirect(_next_url(request, default=_landing(user)))


def _with_next(url: str, request) -> str:
    """`url` with this request's (safe) `next`, encoded, so that it survives the next step; without one, the
    next step decides where the person lands."""
    target = _next_url(request, default="")
    return f"{url}?{urlencode({'next': target})}" if target else url


def _apply_errors(form, exc: ValidationError):
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _too_many(response, scope: str):
    """A throttled answer: the page with its error, as 429 with the window's length in Retry-After."""
    response.status_code = 429
    response["Retry-After"] = str(throttle_window(scope))
    return response


def register(request):
    """The same answer whether or not the email/number has an account (like a password reset): the
    message sent to the address says which, so the page tells nobody else."""
    form = RegisterForm(request.POST or None)
    throttled = False
    if request.method == "POST" and form.is_valid():
        if not throttle_allow("register", client_ip(request) or "?"):
            throttled = True
            form.add_error(None, _("Too many attempts. Wait an hour and try again."))
        else:
            try:
                services.citizen_register(
                    actor=actor_from_request(request),
                    identifier=form.cleaned_data["identifier"],
                    password=form.cleaned_data["password"],
                    full_name=form.cleaned_data["full_name"],
                    next_path=_next_url(request),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return redirect(_with_next(reverse("accounts:register_sent"), request))
    response = render(request, "accounts/register.html", {"form": form, "next": _next_url(request)})
    return _too_many(response, "register") if throttled else response


def register_sent(request):
    return render(request, "accounts/register_sent.html", {"next": _next_url(request, default="")})


def login_view(request):
    form = LoginForm(request.POST or None)
    throttled = False
    if request.method == "POST" and form.is_valid():
        ident = f"{client_ip(request)}|{form.cleaned_data['identifier'].strip().lower()}"
        if not throttle_allow("login", ident):
            form.add_error(None, _("Too many attempts. Wait 15 minutes and try again."))
            throttled = True
        else:
            user = authenticate(
                request, username=form.cleaned_data["identifier"], password=form.cleaned_data["password"]
            )
            if user is None:
                form.add_error(None, _("The email/number or password is not right."))
            elif user.needs_second_factor:
                throttle_reset("login", ident)
                request.session[PENDING_KEY] = {"user": user.pk, "at": int(time.time())}
                target = "accounts:second_factor" if user.totp_confirmed_at else "accounts:totp_setup"
                return redirect(_with_next(reverse(target), request))
            else:
                throttle_reset("login", ident)
                login(request, user)
                return _signed_in(request, user)
    response = render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})
    return _too_many(response, "login") if throttled else response


def _pending_user(request) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return active_user_get(pending["user"])


@never_compress  # a TOTP secret or (demo) code, not masked per answer: no compression (BREACH)
def second_factor(request):
    user = _pending_user(request)
    if user is None:
        messages.error(request, _("Your sign-in has expired. Sign in again."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    throttled = False
    if request.method == "POST" and form.is_valid():
        if not throttle_allow("login", f"2fa|{user.pk}"):
            form.add_error(None, _("Too many attempts. Wait 15 minutes and try again."))
            throttled = True
        elif services.totp_verify(user, form.cleaned_data["code"]):
            del request.session[PENDING_KEY]
            login(request, user, backend="gerai.accounts.backends.EmailOrPhoneBackend")
            return _signed_in(request, user)
        else:
            form.add_error("code", _("That code is not right. Codes change every 30 seconds."))
    demo_code = pyotp.TOTP(user.totp_secret).now() if user.is_demo and user.totp_secret and demo_loaded() else None
    response = render(
        request,
        "accounts/second_factor.html",
        {"form": form, "next": _next_url(request), "demo_code": demo_code},
    )
    return _too_many(response, "login") if throttled else response


@never_compress  # a TOTP secret or (demo) code, not masked per answer: no compression (BREACH)
def totp_setup(request):
    user = _pending_user(request)
    if user is None:
        messages.error(request, _("Your sign-in has expired. Sign in again."))
        return redirect("accounts:login")
    if not user.totp_secret or user.totp_confirmed_at:
        services.totp_begin(actor=actor_from_request(request), user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_confirm(actor=actor_from_request(request), user=user, code=form.cleaned_data["code"]):
            del request.session[PENDING_KEY]
            login(request, user, backend="gerai.accounts.backends.EmailOrPhoneBackend")
            messages.success(request, _("Two-step sign-in is on."))
            return _signed_in(request, user)
        form.add_error("code", _("That code is not right. Codes change every 30 seconds."))
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.login_shown or user.full_name, issuer_name="Gerai")
    import segno  # only the two-step set-up page needs it

    qr = segno.make(uri, error="m").svg_data_uri(scale=4)
    return render(
        request,
        "accounts/totp_setup.html",
        {"form": form, "qr": qr, "secret": user.totp_secret, "next": _next_url(request)},
    )


@require_POST
def logout_view(request):
    logout(request)
    return redirect("home")


def confirm_email(request, token):
    """A confirmation link. Opening it (GET) changes nothing: a mail scanner that follows links, or a page
    that loads one in someone's browser, confirms nobody and signs nobody in. Its page has a button (a POST,
    CSRF-protected) that confirms the address, ends a registration's wait, signs a registration's owner in,
    once, and leads on to the details form and from there to where they started (`next`)."""
    if request.method != "POST":
        if not services.email_link_valid(token):
            return render(request, "accounts/confirmed.html", {"confirmed_user": None}, status=400)
        return render(request, "accounts/confirm.html", {"next": _next_url(request, default="")})
    opened = services.email_confirm(actor=actor_from_request(request), token=token)
    if opened is None:
        return render(request, "accounts/confirmed.html", {"confirmed_user": None}, status=400)
    if opened.sign_in:
        login(request, opened.user, backend="gerai.accounts.backends.EmailOrPhoneBackend")
    theirs = request.user.is_authenticated and request.user.pk == opened.user.pk
    if theirs:
        messages.success(request, _("Your account is confirmed. You are signed in."))
        needs_details = not hasattr(opened.user, "citizen")
        return redirect(_with_next(reverse("accounts:profile"), request) if needs_details else _next_url(request))
    # used before (or by a staff account, which signs in with its second step): confirmed, then sign in
    context = {"confirmed_user": opened.user, "continue_url": _with_next(reverse("accounts:login"), request)}
    return render(request, "accounts/confirmed.html", context)


class PasswordReset(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Throttled per address; the answer is the same whether or not the address has an account.
        if throttle_allow("login", f"reset|{client_ip(self.request)}"):
            return super().form_valid(form)
        return redirect(self.success_url)


class PasswordResetDone(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    form_class = AuditedSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"actor": actor_from_request(self.request)}


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def profile(request):
    current = getattr(request.user, "citizen", None)
    initial = {"full_name": request.user.full_name}
    if current:
        initial |= {
            "nik": current.nik,
            "birth_date": current.birth_date,
            "sex": current.sex,
            "address": current.address,
            "desa": current.desa_id,
        }
    if request.method == "POST" and "resend_confirmation" in request.POST:
        if request.user.email and not request.user.email_confirmed_at:
            if throttle_allow("login", f"confirm|{request.user.pk}"):
                services.email_confirmation_send(user=request.user)
            messages.info(request, _("We have sent a new confirmation link to your email."))
        return redirect("accounts:profile")
    form = ProfileForm(request.POST or None, initial=initial)
    # Declared as a ChoiceField; Form.fields is typed as a dict of plain Fields.
    cast(forms.ChoiceField, form.fields["desa"]).choices = [
        ("", _("Choose your desa/kelurahan")),
        *village_choices_by_region(),
    ]
    throttled = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        desa = village_of_active_region(data["desa"]) if data["desa"] else None
        if not (current and nik_normalize(data["nik"]) == current.nik) and not _identity_check_allowed(request):
            throttled = True
            form.add_error("nik", _("Too many attempts with a new NIK. Wait an hour and try again."))
        else:
            try:
                services.citizen_profile_save(
                    actor=actor_from_request(request),
                    user=request.user,
                    nik=data["nik"],
                    full_name=data["full_name"],
                    birth_date=data["birth_date"],
                    sex=data["sex"],
                    address=data["address"],
                    desa=desa,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Your details are saved."))
                return redirect(_next_url(request))
    response = render(request, "accounts/profile.html", {"form": form, "next": _next_url(request)})
    return _too_many(response, "identity_check") if throttled else response


def _identity_check_allowed(request) -> bool:
    """Whether a NIK or a mobile number is free is an answer about someone else: each new one a person
    tries counts against their account and against the client address, refused beyond either limit."""
    allowed = [
        throttle_allow("identity_check", f"user|{request.user.pk}"),
        throttle_allow("identity_check_address", client_ip(request) or "?"),
    ]  # both windows count the attempt
    return all(allowed)


@login_required
def notifications(request):
    user = request.user
    initial = {"notify_channel": user.notify_channel, "phone": user.phone or "", "language": user.language}
    form = NotificationForm(request.POST or None, initial=initial)
    throttled = False
    if request.method == "POST" and form.is_valid():
        phone = normalize_phone(form.cleaned_data["phone"]) if form.cleaned_data["phone"].strip() else None
        if phone and phone != user.phone and not _identity_check_allowed(request):
            throttled = True
            form.add_error("phone", _("Too many attempts with a new number. Wait an hour and try again."))
        else:
            try:
                services.notification_preferences_save(
                    actor=actor_from_request(request),
                    user=user,
                    channel=form.cleaned_data["notify_channel"],
                    phone=form.cleaned_data["phone"],
                    language=form.cleaned_data["language"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Saved. Our next messages follow your choice."))
                return redirect("accounts:notifications")
    response = render(request, "accounts/notifications.html", {"form": form}, status=400 if form.errors else 200)
    return _too_many(response, "identity_check") if throttled else response


@login_required
def api_tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and "revoke" in request.POST:
        token = api_tokens_of(request.user).filter(pk=request.POST.get("revoke")).first()
        if token:
            services.api_token_revoke(actor=actor_from_request(request), token=token)
            messages.success(request, _("The token is revoked."))
        return redirect("accounts:api_tokens")
    if request.method == "POST" and form.is_valid():
        _record, new_token = services.api_token_create(
            actor=actor_from_request(request), user=request.user, name=form.cleaned_data["name"]
        )
        form = TokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": api_tokens_of(request.user), "new_token": new_token},
    )


@never_compress
def invitation(request, token):
    """A staff invitation's link: who invites whom to what; a new account chooses a password, a signed-in person
    with the invited address takes the role up with one button. A used, expired or unknown link says so."""
    try:
        invite = services.invitation_for_token(token)
    except services.StaffError as exc:
        return render(
            request,
            "accounts/invitation.html",
            {"problem": exc.message},
            status=exc.status if exc.status != 400 else 410,
        )
    form = InvitationAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                actor=actor_from_request(request), token=token, password=form.cleaned_data["password"]
            )
        except services.StaffError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if not request.user.is_authenticated:
                messages.success(request, _("Welcome. Sign in with your email address and the password you chose."))
                return redirect(reverse("accounts:login") + "?" + urlencode({"next": f"/{invite.region.slug}/kantor/"}))
            messages.success(request, _("Your new role is ready."))
            return redirect(f"/{invite.region.slug}/kantor/")
    response = render(
        request, "accounts/invitation.html", {"invitation": invite, "form": form}, status=400 if form.errors else 200
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_data(request):
    """A person's own data, from every app that keeps some (gerai/core/personal_data.py): the page says
    what is kept and why (docs/pdp.md); ?unduh=1 downloads all of it as JSON."""
    if request.GET.get("unduh"):
        body = json.dumps(
            {"generated_at": timezone.now().isoformat(), **personal_data.gather(request.user)},
            ensure_ascii=False,
            indent=1,
            default=str,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="data-saya.json"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "accounts/my_data.html", {"sections": personal_data.gather(request.user)})
