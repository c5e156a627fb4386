"""Every change to documents: templates, signing certificates, issuing (number + render + signature),
revocation and correction. Each takes an explicit actor and records an audit entry in its transaction.

A document is numbered, rendered and signed inside the transaction that completes the signing step:
if the signature fails, everything rolls back — the application stays approved-but-unsigned and the
number is not consumed, so numbers have neither gaps nor duplicates."""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gerai.accounts.models import StaffRole, User
from gerai.audit.services import audit_record
from gerai.catalog.workflow import filed_under
from gerai.core.actors import Actor
from gerai.core.errors import DomainError
from gerai.documents import keystore
from gerai.documents.letters import PAGE_WIDTH_PT, Letter, TemplateProblem, check_template, letter_pdf, long_date
from gerai.documents.models import DocumentTemplate, IssuedDocument, LetterSequence, SignerCertificate, SigningAuthority
from gerai.documents.selectors import authorities_of_region, document_in_progress, signer_certificate_active
from gerai.documents.signing import Placement, SigningError, SignRequest, backend
from gerai.lib import letters as numbering
from gerai.regions.models import Area

log = logging.getLogger(__name__)


class DocumentError(DomainError):
    """A refused template, numbering or signing change."""


# --- templates ---------------------------------------------------------------------------------


def template_problem_message(problem: TemplateProblem) -> str:
    if problem.args[0] == "placeholder":
        return _("Unknown placeholder: {{ %(name)s }}. Use one from the list beside the editor.") % {
            "name": problem.name
        }
    if problem.args[0] == "tag":
        return _("The tag {%% %(name)s %%} is not allowed in letter templates.") % {"name": problem.name}
    return _("The template cannot be read: %(error)s") % {"error": problem.name}


def document_template_save(*, actor: Actor, service, title: str, classification: str, paper: str, body: str, css: str):
    """Create or update a service's letter template; refuses unknown placeholders, naming them."""
    answer_keys = set(service.fields.values_list("key", flat=True))
    try:
        check_template(body, answer_keys=answer_keys)
    except TemplateProblem as problem:
        raise DocumentError("template_invalid", template_problem_message(problem)) from problem
    if "</style" in css.lower() or "@import" in css.lower() or "url(" in css.lower():
        raise DocumentError("css_invalid", _("The extra CSS may not import files or close the style block."))
    with transaction.atomic():
        template, created = DocumentTemplate.objects.update_or_create(
            service=service,
            defaults={
                "title": title,
                "classification": classification,
                "paper": paper,
                "body": body,
                "css": css,
                "updated_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            action="document_template.create" if created else "document_template.update",
            obj=template,
            region=service.region,
            changes={"service": service.slug, "title": title, "classification": classification, "paper": paper},
        )
    return template


def document_template_copy_with_service(*, action: str, obj, region, changes: dict) -> None:
    """A region that copies a service (`catalog.services.service_copy`) gets its letter template too, in
    the same transaction; the copy's audit entry names the source."""
    template = DocumentTemplate.objects.filter(service_id=obj.copied_from_id).first()
    if template is not None:
        DocumentTemplate.objects.create(
            service=obj,
            title=template.title,
            classification=template.classification,
            paper=template.paper,
            body=template.body,
            css=template.css,
        )


def agency_numbering_set(*, actor: Actor, agency, unit_code: str, number_format: str):
    """An agency's letter-number format; refuses unknown tokens, naming them."""
    try:
        numbering.check_format(number_format)
    except numbering.FormatError as problem:
        if problem.kind == "missing":
            message = _("The format must contain {nomor}, the running number.")
        elif problem.kind == "unknown":
            message = _("Unknown token {%(token)s}. Use {kode}, {nomor}, {unit}, {bulan} and {tahun}.") % {
                "token": problem.token
            }
        else:
            message = _("Every { needs its }.")
        raise DocumentError("format_invalid", message) from problem
    with transaction.atomic():
        agency.unit_code, agency.letter_number_format = unit_code.strip(), number_format.strip()
        agency.save(update_fields=["unit_code", "letter_number_format"])
        audit_record(
            actor=actor,
            action="agency.numbering_set",
            obj=agency,
            region=agency.region,
            changes={"unit_code": agency.unit_code, "format": agency.letter_number_format},
        )
    return agency


# --- certificates ------------------------------------------------------------------------------


def signing_authority_create(*, actor: Actor, region) -> SigningAuthority:
    der, key_file = keystore.create_authority(folder=f"region-{region.pk}", organisation=f"Pemerintah {region.name}")
    with transaction.atomic():
        authority = SigningAuthority.objects.create(
            region=region, name=f"Gerai CA Pemerintah {region.name}", certificate_der=der, key_file=key_file
        )
        audit_record(actor=actor, action="signing_authority.create", obj=authority, region=region)
    return authority


def signer_certificate_issue(*, actor: Actor, user, region, title: str) -> SignerCertificate:
    """A new certificate for a signer from the region's own CA; earlier ones of theirs are retired."""
    authority = authorities_of_region(region).exclude(key_file="").first()
    if authority is None:
        raise DocumentError("no_authority", _("This region has no certificate authority of its own."))
    der, key_file, serial, not_after = keystore.issue_signer(
        ca_der=bytes(authority.certificate_der),
        ca_key_file=authority.key_file,
        folder=f"region-{region.pk}",
        common_name=user.full_name,
        organisation=f"Pemerintah {region.name}",
        title=title,
    )
    with transaction.atomic():
        SignerCertificate.objects.filter(user=user, region=region, is_active=True).update(is_active=False)
        certificate = SignerCertificate.objects.create(
            region=region,
            user=user,
            authority=authority,
            certificate_der=der,
            key_file=key_file,
            serial=serial,
            not_after=not_after,
        )
        audit_record(
            actor=actor, action="signer_certificate.issue", obj=certificate, region=region, changes={"user": user.pk}
        )
    return certificate


# --- numbers -----------------------------------------------------------------------------------


def letter_number_allocate(*, agency, classification: str, year: int) -> int:
    """The next number of (agency, classification, year). Must run inside the signing transaction: the
    sequence row stays locked until it commits (PostgreSQL: row lock; SQLite: the IMMEDIATE write
    lock), and a rollback gives the number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("letter numbers are allocated inside the signing transaction")
    try:
        with transaction.atomic():
            LetterSequence.objects.get_or_create(agency=agency, classification=classification, year=year)
    except IntegrityError:
        pass  # another signer created the row first; it exists now
    LetterSequence.objects.filter(agency=agency, classification=classification, year=year).update(
        last_number=F("last_number") + 1
    )
    # the UPDATE above took the row lock; this read sees our own increment
    return LetterSequence.objects.get(agency=agency, classification=classification, year=year).last_number


# --- issuing -----------------------------------------------------------------------------------


def _choice_label(field, value):
    for key, label in field.choices or []:
        if str(key) == str(value):
            return label
    return value


def _answers(application) -> dict:
    answers = dict(application.answers or {})
    for field in (f for page in filed_under(application).pages for f in page):  # the questions it was filed under
        value = answers.get(field.key)
        if value in (None, ""):
            continue
        if field.choices:
            answers[field.key] = _choice_label(field, value)
        elif field.kind == "desa":
            area = Area.objects.filter(code=value, region=application.region).first()
            answers[field.key] = area.name if area else value
    return answers


def _letter_context(application, *, number: str, agency, signer, signer_title: str, on) -> dict:
    applicant = application.applicant
    profile = getattr(applicant, "citizen", None)
    desa = getattr(profile, "desa", None) or application.desa
    place = agency.area.name if agency.area_id else application.region.name.replace("Kabupaten ", "")
    return {
        "nomor": number,
        "tanggal": long_date(on),
        "judul": application.service.document_template.title,
        "kode_pelacakan": application.tracking_code,
        "tempat": place.title(),
        "pemohon": {
            "nama": application.applicant_name,
            "nik": application.applicant_nik,
            "tempat_tanggal_lahir": long_date(profile.birth_date) if profile else "",
            "jenis_kelamin": profile.get_sex_display().capitalize() if profile else "",
            "alamat": profile.address if profile else "",
            "desa": desa.name.title() if desa else "",
            "kecamatan": desa.parent.name.title() if desa and desa.parent_id else "",
        },
        "jawaban": _answers(application),
        "layanan": {"nama": application.service.name},
        "instansi": {"nama": agency.name},
        "daerah": {"nama": application.region.name},
        "penanda_tangan": {"nama": signer.full_name, "jabatan": signer_title},
    }


def _signer_title(user, region, agency) -> str:
    role = StaffRole.objects.filter(user=user, region=region, agency=agency).exclude(title="").first()
    role = role or StaffRole.objects.filter(user=user, region=region).exclude(title="").first()
    return role.title if role else ""


def _sign_into(document: IssuedDocument, pdf: bytes, *, signer: User, passphrase: str, title: str) -> bytes:
    region = document.region
    engine = backend()
    key_file = ""
    if not engine.needs_passphrase:
        certificate = signer_certificate_active(signer, region)
        if certificate is None:
            raise SigningError("no_certificate", _("You have no signing certificate. Ask the region administrator."))
        key_file = certificate.key_file
    profile = getattr(signer, "citizen", None)
    request = SignRequest(
        pdf=pdf,
        placement=Placement.for_signer(len(document.signers), PAGE_WIDTH_PT[_paper(document)]),
        signer_name=signer.full_name,
        signer_title=title,
        nik=profile.nik if profile else "",
        passphrase=passphrase,
        location=region.name,
        signed_at=_local_stamp(region),
    )
    return engine.sign(request, key_file=key_file)


def _local_stamp(region) -> str:
    now = timezone.localtime(timezone.now(), region.zone)
    return now.strftime("%d-%m-%Y %H:%M ") + (region.zone_abbreviation or now.strftime("UTC%z"))


def _paper(document: IssuedDocument) -> str:
    return document.application.service.document_template.paper


def _store(document: IssuedDocument, data: bytes) -> None:
    old = document.file.name if document.file else ""
    document.file.save(f"{document.code}.pdf", ContentFile(data), save=False)
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.size = len(data)
    if old:
        storage, name = document.file.storage, old
        transaction.on_commit(lambda: storage.delete(name))


def verify_url(region, code: str) -> str:
    return settings.SITE_URL + reverse("documents:verify_code", args=[region.slug, code])


def _render_new(*, application, agency, actor: Actor, title: str, replaces=None) -> tuple[IssuedDocument, bytes]:
    template = application.service.document_template
    today = timezone.localdate(timezone=application.region.zone)
    sequence = letter_number_allocate(agency=agency, classification=template.classification, year=today.year)
    unit = agency.unit_code or (agency.area_id or agency.slug).upper()
    number = numbering.render(
        agency.letter_number_format,
        sequence=sequence,
        classification=template.classification,
        unit=unit,
        date=today,
    )
    document = IssuedDocument(
        region=application.region,
        application=application,
        agency=agency,
        title=template.title,
        number=number,
        replaces=replaces,
    )
    context = _letter_context(
        application, number=number, agency=agency, signer=actor.user, signer_title=title, on=today
    )
    letter = Letter(
        region=application.region,
        agency=agency,
        title=template.title,
        paper=template.paper,
        body=template.body,
        css=template.css,
        context=context,
        verify_url=verify_url(application.region, document.code),
        code=document.code,
    )
    try:
        return document, letter_pdf(letter)
    except Exception as exc:  # a template that renders badly must not become a 500 at the signing desk
        log.exception("letter rendering failed for service %s", application.service_id)
        raise SigningError(
            "render_failed", _("The letter could not be rendered. Ask the region administrator to check its template.")
        ) from exc


def document_sign_step(*, actor: Actor, application, step, agency, passphrase: str = "") -> IssuedDocument | None:
    """The document work of a signing step, inside the caller's transaction: the first signer numbers
    and renders the letter, each signer adds a PAdES signature, the last one issues it."""
    if not hasattr(application.service, "document_template"):
        return None  # this service issues its output outside the platform
    signer = actor.user
    if signer is None:  # the applications service has checked the officer; the system signs nothing
        raise SigningError("no_certificate", _("You have no signing certificate. Ask the region administrator."))
    later_signature = filed_under(application).signs_after(step.order)
    title = _signer_title(actor.user, application.region, agency)
    document = document_in_progress(application)
    if document is None:
        document, pdf = _render_new(application=application, agency=agency, actor=actor, title=title)
    else:
        pdf = document.file.open("rb").read()
        document.file.close()
    signed = _sign_into(document, pdf, signer=signer, passphrase=passphrase, title=title)
    _store(document, signed)
    now = timezone.now()
    document.signers = [*document.signers, {"name": signer.full_name, "title": title, "at": now.isoformat()}]
    if not later_signature:
        document.state = IssuedDocument.State.VALID
        document.issued_at = now
    document.save()
    audit_record(
        actor=actor,
        action="document.sign",
        obj=document,
        region=application.region,
        changes={"number": document.number, "state": document.state, "sha256": document.sha256},
    )
    return document


def document_revoke(*, actor: Actor, document: IssuedDocument, reason: str) -> IssuedDocument:
    _require_supervisor(actor, document)
    if not reason.strip():
        raise DocumentError("reason_required", _("Give the reason; it is shown on the verification page."))
    with transaction.atomic():
        updated = IssuedDocument.objects.filter(pk=document.pk, state=IssuedDocument.State.VALID).update(
            state=IssuedDocument.State.REVOKED, reason=reason.strip()[:2000], ended_at=timezone.now()
        )
        if updated != 1:
            raise DocumentError("not_valid", _("Only a valid document can be revoked."))
        document.refresh_from_db()
        audit_record(
            actor=actor, action="document.revoke", obj=document, region=document.region, changes={"reason": reason}
        )
    return document


def document_correct(*, actor: Actor, document: IssuedDocument, reason: str, passphrase: str = "") -> IssuedDocument:
    """Issue a corrected document (new number, current data and template, signed by the actor) that
    replaces this one; the old one shows 'replaced' with a link to the new one."""
    signer = _require_supervisor(actor, document)
    if not reason.strip():
        raise DocumentError("reason_required", _("Give the reason; it is shown on the verification page."))
    application = document.application
    with transaction.atomic():
        updated = IssuedDocument.objects.filter(pk=document.pk, state=IssuedDocument.State.VALID).update(
            state=IssuedDocument.State.REPLACED, reason=reason.strip()[:2000], ended_at=timezone.now()
        )
        if updated != 1:
            raise DocumentError("not_valid", _("Only a valid document can be corrected."))
        title = _signer_title(actor.user, document.region, document.agency)
        new, pdf = _render_new(
            application=application, agency=document.agency, actor=actor, title=title, replaces=document
        )
        try:
            signed = _sign_into(new, pdf, signer=signer, passphrase=passphrase, title=title)
        except SigningError as exc:
            raise DocumentError(exc.code, exc.message) from exc
        _store(new, signed)
        new.signers = [{"name": signer.full_name, "title": title, "at": timezone.now().isoformat()}]
        new.state = IssuedDocument.State.VALID
        new.issued_at = timezone.now()
        new.save()
        audit_record(
            actor=actor,
            action="document.correct",
            obj=new,
            region=document.region,
            changes={"replaces": document.number, "number": new.number, "reason": reason},
        )
    return new


def _require_supervisor(actor: Actor, document: IssuedDocument) -> User:
    """The acting supervisor (or region admin), or DocumentError('not_allowed')."""
    roles = StaffRole.objects.filter(user=actor.user, region=document.region)
    if actor.user is None or not (
        roles.filter(role=StaffRole.Role.ADMIN).exists()
        or roles.filter(role=StaffRole.Role.SUPERVISOR, agency=document.agency).exists()
    ):
        raise DocumentError("not_allowed", _("Only a supervisor of the issuing agency can do this."))
    return actor.user
