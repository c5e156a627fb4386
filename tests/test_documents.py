"""Signed documents: numbering, PAdES signatures, verification by QR code and by upload, revocation
and correction, and what each persona may see."""

import hashlib
import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from gerai.applications import services
from gerai.applications.models import Application, Status
from gerai.core.actors import Actor
from gerai.documents import services as document_services
from gerai.documents.models import IssuedDocument, LetterSequence
from gerai.documents.signing import SigningError, trust_roots
from gerai.documents.verification import verify_pdf
from tests.conftest import PNG, SKU_ANSWERS

pytestmark = pytest.mark.django_db


def _act(people, persona, application, **kwargs):
    return services.application_complete_step(actor=Actor(user=people[persona]), application=application, **kwargs)


@pytest.fixture
def signed_sku(submitted, people):
    """Citizen A's Surat Keterangan Usaha: verified by the desa, signed by the kepala desa, then the camat."""

    def make():
        application = submitted(slug="surat-keterangan-usaha", answers=SKU_ANSWERS)
        _act(people, "desa_officer", application)
        _act(people, "kades", application)
        _act(people, "camat", application)
        return application, application.issued_documents.get()

    return make


def _bytes(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_two_signers_in_order_issue_one_numbered_document(submitted, people, banyuwangi):
    application = submitted(slug="surat-keterangan-usaha", answers=SKU_ANSWERS)
    _act(people, "desa_officer", application)
    _act(people, "kades", application)
    document = application.issued_documents.get()
    assert document.state == IssuedDocument.State.SIGNING  # the camat has yet to sign
    assert re.fullmatch(r"503/0001/35\.10\.15\.2004/[IVX]+/20\d\d", document.number)
    assert application.status == Status.IN_PROCESS
    _act(people, "camat", application)
    document.refresh_from_db()
    assert application.status == Status.COMPLETED
    assert document.state == IssuedDocument.State.VALID
    assert [s["name"] for s in document.signers] == ["Lilik Yuliati", "Drs. Hendro Wibowo"]

    data = _bytes(document)
    reader = PdfFileReader(io.BytesIO(data))
    context = ValidationContext(trust_roots=trust_roots(banyuwangi), allow_fetching=False)
    statuses = [validate_pdf_signature(sig, context) for sig in reader.embedded_signatures]
    assert len(statuses) == 2
    assert all(s.intact and s.valid and s.trusted for s in statuses)
    assert statuses[0].signing_cert.subject.native["common_name"] == "Lilik Yuliati"
    assert statuses[-1].coverage.name == "ENTIRE_FILE"
    assert verify_pdf(banyuwangi, data).outcome == "authentic"


def test_the_letter_carries_the_citizens_data_and_answers(signed_sku):
    _, document = signed_sku()
    text = _pdf_text(_bytes(document))
    assert "Warung Osing Bu Siti" in text
    assert "Kuliner" in text  # the choice's label, not its key
    assert document.number in text


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_numbers_follow_each_other_per_agency_and_classification(signed_sku):
    numbers = [signed_sku()[1].number for _ in range(3)]
    assert [n.split("/")[1] for n in numbers] == ["0001", "0002", "0003"]


def test_one_changed_byte_is_detected(signed_sku, banyuwangi):
    _, document = signed_sku()
    data = bytearray(_bytes(document))
    position = data.index(b"stream") + 300  # inside the first page's content, which both signatures cover
    data[position] ^= 0x01
    verdict = verify_pdf(banyuwangi, bytes(data))
    assert verdict.outcome == "changed"
    assert verdict.document == document  # recognised by the code it carries
    assert not all(s.intact for s in verdict.signatures)


def test_appending_to_a_signed_file_is_detected(signed_sku, banyuwangi):
    _, document = signed_sku()
    data = _bytes(document) + b"\n% appended\n"
    assert verify_pdf(banyuwangi, data).outcome == "changed"


def _plain_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Surat keterangan buatan sendiri</p>").write_pdf()


def test_unrelated_or_foreign_pdfs_are_not_issued_here(signed_sku, banyuwangi, seruyan):
    _, document = signed_sku()
    assert verify_pdf(banyuwangi, _plain_pdf()).outcome == "unknown"
    no_xref = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    assert verify_pdf(banyuwangi, no_xref).outcome == "unreadable"  # no cross-reference table at all
    assert verify_pdf(seruyan, _bytes(document)).outcome == "unknown"  # another region's roots and codes
    assert verify_pdf(banyuwangi, PNG).outcome == "unreadable"
    assert verify_pdf(banyuwangi, b"%PDF-1.7\n garbage").outcome == "unreadable"


def test_signing_failure_changes_nothing_and_can_be_retried(submitted, people, monkeypatch):
    application = submitted(slug="surat-domisili", answers=[{"keperluan": "Bank", "lama_tinggal": "5"}, SKU_ANSWERS[1]])
    from gerai.documents import signing

    def down(self, request, *, key_file=""):
        raise SigningError("service_down", "down")

    monkeypatch.setattr(signing.LocalBackend, "sign", down)
    with pytest.raises(services.ApplicationError) as err:
        _act(people, "kades", application)
    assert err.value.code == "service_down"
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.SUBMITTED and application.current_step.action == "sign"
    assert not IssuedDocument.objects.filter(application=application).exists()
    assert not LetterSequence.objects.filter(
        last_number__gt=0, classification="470", agency__area="35.10.15.2004"
    ).exists()
    monkeypatch.undo()
    _act(people, "kades", application)
    assert application.issued_documents.get().number.startswith("470/0001/")


def test_a_signer_without_certificate_gets_a_clear_message(submitted, people):
    from gerai.documents.models import SignerCertificate

    application = submitted(slug="surat-domisili", answers=[{"keperluan": "Bank", "lama_tinggal": "5"}, SKU_ANSWERS[1]])
    SignerCertificate.objects.filter(user=people["kades"]).update(is_active=False)
    with pytest.raises(services.ApplicationError) as err:
        _act(people, "kades", application)
    assert err.value.code == "no_certificate"


def test_revoked_and_replaced_documents_say_so_on_their_pages(signed_sku, people, client_for):
    _, document = signed_sku()
    actor = Actor(user=people["kades"])
    corrected = document_services.document_correct(actor=actor, document=document, reason="Nama usaha salah ketik")
    document.refresh_from_db()
    assert document.state == IssuedDocument.State.REPLACED and corrected.replaces == document
    assert corrected.number.split("/")[1] == "0002"
    page = client_for(None).get(f"/banyuwangi/verifikasi/{document.code}").content.decode()
    assert "Nama usaha salah ketik" in page and corrected.code in page
    document_services.document_revoke(actor=actor, document=corrected, reason="Usaha sudah tutup")
    response = client_for(None).get(f"/banyuwangi/verifikasi/{corrected.code}")
    assert 'data-document-state="revoked"' in response.content.decode()
    assert "Usaha sudah tutup" in response.content.decode()


def test_an_officer_revokes_a_letter_from_the_application_page(signed_sku, client_for):
    """The page the staff detail's form posts to: it opens the application through the applications policy
    first, so an officer who may not see the application gets a 404 before the letter is looked at."""
    application, document = signed_sku()
    url = f"/banyuwangi/kantor/permohonan/{application.ref}/surat/{document.code}/cabut/"
    detail = f"/banyuwangi/kantor/permohonan/{application.ref}/"
    assert url in client_for("kades").get(detail).content.decode()
    assert client_for("sobo_officer").post(url, {"reason": "Usaha sudah tutup"}).status_code == 404
    assert client_for("kades").post(url.replace("cabut", "hapus"), {"reason": "x"}).status_code == 404
    assert client_for("kades").get(url).status_code == 405
    unexplained = client_for("kades").post(url, {"reason": ""})
    assert unexplained.status_code == 302 and unexplained["Location"] == detail
    document.refresh_from_db()
    assert document.state == IssuedDocument.State.VALID
    assert client_for("kades").post(url, {"reason": "Usaha sudah tutup"})["Location"] == detail
    document.refresh_from_db()
    assert document.state == IssuedDocument.State.REVOKED and document.reason == "Usaha sudah tutup"


def test_only_a_supervisor_of_the_issuing_agency_revokes(signed_sku, people):
    _, document = signed_sku()
    for persona in ("desa_officer", "capil_supervisor"):
        with pytest.raises(document_services.DocumentError):
            document_services.document_revoke(actor=Actor(user=people[persona]), document=document, reason="x")


def test_verification_page_shows_facts_but_no_personal_data(signed_sku, people, client_for):
    application, document = signed_sku()
    page = client_for(None).get(f"/banyuwangi/verifikasi/{document.code}").content.decode()
    assert document.number in page and document.sha256 in page and "Lilik Yuliati" in page
    assert "S*** A*****" in page  # the holder, masked
    citizen = people["citizen_a"]
    for secret in (
        citizen.full_name,
        citizen.citizen.nik,
        citizen.citizen.address,
        "Warung Osing",
        application.tracking_code,
    ):
        assert secret not in page


def test_verification_codes_are_region_scoped_and_guessing_is_throttled(signed_sku, client_for, settings):
    _, document = signed_sku()
    assert client_for(None).get(f"/seruyan/verifikasi/{document.code}").status_code == 404
    settings.GERAI_THROTTLES = {**settings.GERAI_THROTTLES, "verify": (5, 60)}
    cache.clear()
    client = client_for(None)
    codes = [client.get("/banyuwangi/verifikasi/0000000000000000000" + str(i)).status_code for i in range(7)]
    assert codes[:5] == [404] * 5 and codes[5:] == [429, 429]


def test_upload_verification_answers_every_case_without_a_500(signed_sku, client_for, settings):
    _, document = signed_sku()
    client = client_for(None)

    def post(name, content):
        return client.post("/banyuwangi/verifikasi/", {"berkas": SimpleUploadedFile(name, content)})

    ok = post("surat.pdf", _bytes(document))
    assert ok.status_code == 200 and 'data-verdict="authentic"' in ok.content.decode()
    changed = bytearray(_bytes(document))
    changed[changed.index(b"stream") + 300] ^= 1
    assert 'data-verdict="changed"' in post("surat.pdf", bytes(changed)).content.decode()
    assert 'data-verdict="unknown"' in post("lain.pdf", _plain_pdf()).content.decode()
    not_pdf = post("foto.pdf", PNG)
    assert not_pdf.status_code == 400 and "bukan berkas PDF" in not_pdf.content.decode()
    assert post("rusak.pdf", b"%PDF-1.7 \x00\x01 broken").status_code == 400
    assert client.post("/banyuwangi/verifikasi/", {}).status_code == 400
    settings.GERAI_VERIFY_MAX_BYTES = 1000
    huge = post("besar.pdf", _bytes(document))
    assert huge.status_code == 400 and "MB" in huge.content.decode()


def test_who_can_download_the_signed_pdf(signed_sku, client_for):
    application, document = signed_sku()
    citizen_url = f"/banyuwangi/permohonan/{application.ref}/surat/{document.code}/"
    staff_url = f"/banyuwangi/kantor/permohonan/{application.ref}/surat/{document.code}/"
    response = client_for("citizen_a").get(citizen_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == _bytes(document)
    assert client_for("citizen_b").get(citizen_url).status_code == 404
    assert client_for("seruyan_citizen").get(citizen_url.replace("banyuwangi", "seruyan")).status_code == 404
    assert client_for("kades").get(staff_url).status_code == 200
    assert client_for("sobo_officer").get(staff_url).status_code == 404
    assert client_for("seruyan_officer").get(staff_url.replace("banyuwangi", "seruyan")).status_code == 404
    detail = client_for("citizen_a").get(f"/banyuwangi/permohonan/{application.ref}/").content.decode()
    assert citizen_url in detail


def test_template_with_an_unknown_placeholder_is_refused_by_name(client_for, banyuwangi):
    from gerai.documents.models import DocumentTemplate

    url = "/banyuwangi/kantor/layanan/surat-domisili/surat/"
    before = DocumentTemplate.objects.get(service__region=banyuwangi, service__slug="surat-domisili").body
    data = {"title": "Surat Domisili", "classification": "470", "paper": "F4", "css": ""}
    response = client_for("bwi_admin").post(url, {**data, "body": "<p>{{ pemohon.gaji }} {{ pemohon.nama }}</p>"})
    assert response.status_code == 400 and "pemohon.gaji" in response.content.decode()
    response = client_for("bwi_admin").post(url, {**data, "body": "<p>{{ jawaban.tidak_ada }}</p>"})
    assert response.status_code == 400 and "jawaban.tidak_ada" in response.content.decode()
    response = client_for("bwi_admin").post(url, {**data, "body": "{% load static %}{% include 'base.html' %}"})
    assert response.status_code == 400
    assert DocumentTemplate.objects.get(service__region=banyuwangi, service__slug="surat-domisili").body == before
    ok = client_for("bwi_admin").post(
        url, {**data, "body": "<p>{{ pemohon.nama }} – {{ jawaban.keperluan|upper }}</p>"}
    )
    assert ok.status_code == 302
    assert client_for("seruyan_admin").get(url.replace("banyuwangi", "seruyan")).status_code == 404
    assert client_for("kades").get(url).status_code == 404


def test_template_preview_is_sandboxed_html_and_pdf(client_for):
    url = "/banyuwangi/kantor/layanan/surat-domisili/surat/pratinjau/"
    data = {
        "title": "Surat Domisili",
        "classification": "470",
        "paper": "A4",
        "css": "",
        "body": "<p>{{ pemohon.nama }}</p>",
    }
    html = client_for("bwi_admin").post(url, data)
    assert html.status_code == 200 and "Nama Pemohon" in html.content.decode()
    assert "sandbox" in html["Content-Security-Policy"]
    pdf = client_for("bwi_admin").post(url, {**data, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    bad = client_for("bwi_admin").post(url, {**data, "body": "{{ rahasia }}"})
    assert "rahasia" in bad.content.decode()


def test_templates_cannot_reach_the_network_or_disk(client_for):
    url = "/banyuwangi/kantor/layanan/surat-domisili/surat/pratinjau/"
    body = '<img src="http://169.254.169.254/latest/meta-data"><img src="file:///etc/passwd"><p>ok</p>'
    data = {"title": "T", "classification": "470", "paper": "A4", "css": "", "body": body, "format": "pdf"}
    response = client_for("bwi_admin").post(url, data)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")  # rendered, images refused


def test_the_adopter_region_signs_with_its_own_offices_and_ca(submitted, people, seruyan):
    answers = [SKU_ANSWERS[0], {"desa": "62.07.01.1001", "telepon": "0812 3456 7890"}]
    application = submitted(citizen="seruyan_citizen", slug="surat-keterangan-usaha", answers=answers, region=seruyan)
    _act(people, "seruyan_kelurahan", application)
    _act(people, "seruyan_lurah", application)
    _act(people, "seruyan_camat", application)
    document = application.issued_documents.get()
    assert document.state == "valid" and "/62.07.01.1001/" in document.number
    assert verify_pdf(seruyan, _bytes(document)).outcome == "authentic"


def test_admins_set_number_formats_and_unknown_tokens_are_named(client_for, banyuwangi, signed_sku, people):
    from gerai.regions.models import Agency

    office = Agency.objects.get(region=banyuwangi, area_id="35.10.15.2004")
    url = "/banyuwangi/kantor/surat/"
    base = {"what": "numbering", "agency": office.pk, "unit_code": "Ds.Kmr"}
    bad = client_for("bwi_admin").post(url, {**base, "letter_number_format": "{kode}/{nomer}/{tahun}"})
    assert bad.status_code == 400 and "{nomer}" in bad.content.decode()
    assert "{kode}/{nomer}/{tahun}" in bad.content.decode()  # what was typed stays in the field
    missing = client_for("bwi_admin").post(url, {**base, "letter_number_format": "{kode}/{tahun}"})
    assert missing.status_code == 400
    ok = client_for("bwi_admin").post(url, {**base, "letter_number_format": "{kode}/{nomor}/{unit}/{tahun}"})
    assert ok.status_code == 302
    _, document = signed_sku()
    assert re.fullmatch(r"503/0001/Ds\.Kmr/20\d\d", document.number)
    for persona in ("seruyan_admin", "kades", "citizen_a"):
        assert client_for(persona).get(url).status_code == 404


def test_admins_renew_a_signers_certificate(client_for, people, banyuwangi, submitted):
    from gerai.accounts.models import StaffRole
    from gerai.documents.models import SignerCertificate

    role = StaffRole.objects.get(user=people["kades"], region=banyuwangi)
    before = SignerCertificate.objects.get(user=people["kades"], is_active=True)
    response = client_for("bwi_admin").post("/banyuwangi/kantor/surat/", {"what": "certificate", "role": role.pk})
    assert response.status_code == 302
    after = SignerCertificate.objects.get(user=people["kades"], is_active=True)
    assert after.pk != before.pk and after.serial != before.serial
    other = StaffRole.objects.get(user=people["seruyan_lurah"])
    assert (
        client_for("bwi_admin").post("/banyuwangi/kantor/surat/", {"what": "certificate", "role": other.pk}).status_code
        == 404
    )
    application = submitted(slug="surat-domisili", answers=[{"keperluan": "Bank", "lama_tinggal": "5"}, SKU_ANSWERS[1]])
    _act(people, "kades", application)  # signs with the new certificate
    assert application.issued_documents.get().state == "valid"


def test_documents_live_on_s3_compatible_storage_by_configuration(settings, signed_sku, client_for, banyuwangi):
    """With GERAI_STORAGE=s3 the signed PDF goes to the bucket (an in-process S3: nothing leaves the
    machine), downloads from there unchanged and still verifies."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        boto3.client("s3", region_name="ap-southeast-3").create_bucket(
            Bucket="gerai-dokumen", CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": "gerai-dokumen", "region_name": "ap-southeast-3", "default_acl": "private"},
            },
        }
        application, document = signed_sku()
        keys = [
            o["Key"]
            for o in boto3.client("s3", region_name="ap-southeast-3").list_objects_v2(Bucket="gerai-dokumen")[
                "Contents"
            ]
        ]
        assert document.file.name in keys
        response = client_for("citizen_a").get(f"/banyuwangi/permohonan/{application.ref}/surat/{document.code}/")
        data = b"".join(response.streaming_content)
        assert hashlib.sha256(data).hexdigest() == document.sha256
        assert verify_pdf(banyuwangi, data).outcome == "authentic"


def test_a_letter_that_fails_to_render_is_a_message_not_a_500(submitted, people, monkeypatch, client_for):
    from gerai.documents import services as doc_services

    def broken(letter):
        raise RuntimeError("pango exploded")

    monkeypatch.setattr(doc_services, "letter_pdf", broken)
    application = submitted(slug="surat-domisili", answers=[{"keperluan": "Bank", "lama_tinggal": "5"}, SKU_ANSWERS[1]])
    response = client_for("kades").post(
        f"/banyuwangi/kantor/permohonan/{application.ref}/aksi/", {"action": "complete"}, follow=True
    )
    assert response.status_code == 200 and "templatnya" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    assert not LetterSequence.objects.filter(agency__area="35.10.15.2004", last_number__gt=0).exists()
