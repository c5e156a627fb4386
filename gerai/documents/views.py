from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from gerai.accounts.decorators import region_view, staff_view
from gerai.catalog.selectors import service_get_for_admin
from gerai.core.actors import actor_from_request, client_ip
from gerai.core.errors import refused
from gerai.core.throttle import throttle_allow
from gerai.documents import selectors, services
from gerai.documents.forms import TemplateForm, VerifyUploadForm
from gerai.documents.letters import PLACEHOLDERS, Letter, TemplateProblem, check_template, letter_html, letter_pdf
from gerai.documents.verification import verify_pdf
from gerai.lib.letters import mask_name
from gerai.regions.selectors import agencies_of_region, agency_get

TOO_MANY = gettext_lazy("Too many checks from your connection. Wait a minute and try again.")


def _throttled(request) -> bool:
    return not throttle_allow("verify", client_ip(request) or "?")


def _document_facts(document) -> dict:
    return {
        "document": document,
        "holder": mask_name(document.application.applicant_name),
        "service": document.application.service.name,
    }


@region_view
def verify_code(request, code):
    """The QR code's target: what was issued under this code, and whether it still stands."""
    if _throttled(request):
        return render(request, "documents/verify.html", {"error": TOO_MANY, "form": VerifyUploadForm()}, status=429)
    document = selectors.document_public(request.region, code)
    if document is None:
        response = render(
            request,
            "documents/verify.html",
            {"error": _("No document was issued here under this code."), "form": VerifyUploadForm()},
            status=404,
        )
    else:
        response = render(request, "documents/verify_code.html", _document_facts(document))
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@region_view
def verify_upload(request):
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "max_mb": settings.GERAI_VERIFY_MAX_BYTES // (1024 * 1024)}
    if request.method != "POST":
        return render(request, "documents/verify.html", context)
    if _throttled(request):
        context["error"] = TOO_MANY
        return render(request, "documents/verify.html", context, status=429)
    if not form.is_valid():
        return render(request, "documents/verify.html", context, status=400)
    upload = form.cleaned_data["berkas"]
    if upload.size > settings.GERAI_VERIFY_MAX_BYTES:
        form.add_error("berkas", _("The file is larger than %(mb)s MB.") % {"mb": context["max_mb"]})
        return render(request, "documents/verify.html", context, status=400)
    data = upload.read()
    verdict = verify_pdf(request.region, data)
    context["verdict"] = verdict
    if verdict.outcome == "unreadable":
        form.add_error("berkas", _("This is not a readable PDF file. Upload the PDF document itself."))
        return render(request, "documents/verify.html", context, status=400)
    if verdict.document is not None:
        context.update(_document_facts(verdict.document))
    return render(request, "documents/verify.html", context)


# --- templates (region admins) -----------------------------------------------------------------


@staff_view(admin=True)
def template_edit(request, service_slug):
    service = service_get_for_admin(request.region, service_slug)
    instance = selectors.document_template_of(service)
    form = TemplateForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_template_save(actor=actor_from_request(request), service=service, **form.cleaned_data)
        except services.DocumentError as exc:
            form.add_error("css" if exc.code == "css_invalid" else "body", exc.message)
        else:
            messages.success(request, _("Letter template saved."))
            return redirect("documents:template", region_slug=request.region.slug, service_slug=service.slug)
    return render(
        request,
        "documents/template_edit.html",
        {
            "service": service,
            "form": form,
            "placeholders": PLACEHOLDERS.items(),
            "answer_keys": service.fields.values_list("key", "label"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _sample_context(service, region) -> dict:
    answers = {f.key: f"[{f.label}]" for f in service.fields.all()}
    return {
        "nomor": "470/0001/UNIT/XI/2026",
        "tanggal": "28 November 2026",
        "judul": "",
        "kode_pelacakan": f"{region.tracking_prefix}-XXXX-XXXX",
        "tempat": region.name.replace("Kabupaten ", ""),
        "pemohon": {
            "nama": "Nama Pemohon",
            "nik": "3510xxxxxxxxxxxx",
            "tempat_tanggal_lahir": "1 Januari 1990",
            "jenis_kelamin": "Perempuan",
            "alamat": "Alamat pemohon",
            "desa": "Desa",
            "kecamatan": "Kecamatan",
        },
        "jawaban": answers,
        "layanan": {"nama": service.name},
        "instansi": {"nama": service.owner_agency.name},
        "daerah": {"nama": region.name},
        "penanda_tangan": {"nama": "Nama Penanda Tangan", "jabatan": "Jabatan"},
    }


@require_POST
@xframe_options_sameorigin
@staff_view(admin=True)
def template_preview(request, service_slug):
    """The letter as it will print, from what is in the editor (not yet saved), in the preview frame."""
    service = service_get_for_admin(request.region, service_slug)
    form = TemplateForm(request.POST)
    form.is_valid()
    data = {**{k: "" for k in ("title", "classification", "css", "body")}, "paper": "F4", **form.cleaned_data}
    try:
        check_template(data["body"], answer_keys=set(service.fields.values_list("key", flat=True)))
    except TemplateProblem as problem:
        message = services.template_problem_message(problem)
        body = render_to_string("documents/preview_problem.html", {"message": message})
        return _preview_response(body, status=200)
    context = _sample_context(service, request.region)
    context["judul"] = data["title"]
    letter = Letter(
        region=request.region,
        agency=service.owner_agency,
        title=data["title"],
        paper=data["paper"],
        body=data["body"],
        css=data["css"] if "</style" not in data["css"].lower() else "",
        context=context,
        verify_url=services.verify_url(request.region, "CONTOH"),
        code="CONTOH",
    )
    if request.POST.get("format") == "pdf":
        response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="pratinjau.pdf"'
        return response
    return _preview_response(letter_html(letter))


def _preview_response(body: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(body, status=status)
    # the letter's own inline styles, nothing else: no scripts, no fetches, sandboxed
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; sandbox"
    )
    return response


# --- letter numbers and signers (region admins) --------------------------------------------------


@staff_view(admin=True)
def signing_admin(request):
    region = request.region
    agencies = agencies_of_region(region).order_by("kind", "name")
    errors: dict = {}
    if request.method == "POST" and request.POST.get("what") == "numbering":
        agency = agency_get(region, request.POST.get("agency") or 0)
        if agency is None:
            raise Http404
        try:
            services.agency_numbering_set(
                actor=actor_from_request(request),
                agency=agency,
                unit_code=request.POST.get("unit_code", "")[:30],
                number_format=request.POST.get("letter_number_format", "")[:100],
            )
        except services.DocumentError as exc:
            errors[agency.pk] = exc.message
            agency.unit_code = request.POST.get("unit_code", "")[:30]  # show what was typed
            agency.letter_number_format = request.POST.get("letter_number_format", "")[:100]
        else:
            messages.success(request, _("Letter number format saved for %(agency)s.") % {"agency": agency.name})
            return redirect("documents:signing_admin", region_slug=region.slug)
        agencies = [agency if a.pk == agency.pk else a for a in agencies]
    if request.method == "POST" and request.POST.get("what") == "certificate":
        role = selectors.signer_role_get(region, request.POST.get("role") or 0)
        if role is None:
            raise Http404
        try:
            services.signer_certificate_issue(
                actor=actor_from_request(request), user=role.user, region=region, title=role.title
            )
        except services.DocumentError as exc:
            refused(request, exc)
        else:
            messages.success(
                request, _("A new signing certificate was issued to %(name)s.") % {"name": role.user.full_name}
            )
        return redirect("documents:signing_admin", region_slug=region.slug)
    return render(
        request,
        "documents/signing_admin.html",
        {"agencies": agencies[:300], "errors": errors, "signers": selectors.signers_of_region(region)},
        status=400 if errors else 200,
    )
