"""The national e-signature adapter (BSrE shape) against a fake server on localhost: the signer's NIK
and passphrase per signature, refusals and outages handled without losing the application or a number,
and the passphrase never stored or logged."""

import datetime as dt
import io
import json
from email.parser import BytesParser
from email.policy import HTTP

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from gerai.accounts.models import CitizenProfile
from gerai.applications import services
from gerai.applications.models import Application, Status
from gerai.audit.models import AuditEntry
from gerai.core.actors import Actor
from gerai.documents import keystore
from gerai.documents.models import IssuedDocument
from gerai.documents.verification import verify_pdf
from gerai.lib.nik import compose
from tests.fakes import fake_service

pytestmark = pytest.mark.django_db
PASSPHRASE = "Rahasia#Kades-2026"


class FakeBsre:
    """Answers like the service: the signed PDF, or JSON {"error", "status_code"}."""

    def __init__(self, tmp_path):
        der, ca_key = keystore.create_authority(folder="bsre-test", organisation="Balai Sertifikasi Elektronik")
        cert_der, key_file, _, _ = keystore.issue_signer(
            ca_der=der,
            ca_key_file=ca_key,
            folder="bsre-test",
            common_name="Lilik Yuliati",
            organisation="Pemerintah Kabupaten Banyuwangi",
            title="Kepala Desa Kemiren",
        )
        data, secret = keystore.read_pkcs12(key_file)
        self.signer = signers.SimpleSigner.load_pkcs12_data(data, [], passphrase=secret)
        self.root_pem = tmp_path / "bsre-root.pem"
        self.root_pem.write_bytes(x509.load_der_x509_certificate(der).public_bytes(Encoding.PEM))
        self.mode, self.nik, self.requests = "ok", "", []

    def handle(self, path, headers, body):
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {headers['Content-Type']}\r\n\r\n".encode() + body
        )
        parts = {
            part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
            for part in message.iter_parts()
        }
        self.requests.append({k: v for k, v in parts.items() if k != "file"})
        if headers.get("Authorization") != "Basic Z2VyYWk6a2xpZW4=":  # gerai:klien
            return 401, "application/json", json.dumps({"error": "unauthorised", "status_code": 1001}).encode()
        if self.mode == "garbage":
            return 200, "text/html", b"<html>maintenance</html>"
        if parts.get("nik", b"").decode() != self.nik or parts.get("passphrase", b"").decode() != PASSPHRASE:
            return 400, "application/json", json.dumps({"error": "Passphrase anda salah", "status_code": 2031}).encode()
        box = tuple(int(float(parts[k])) for k in ("xAxis", "yAxis"))
        width, height = int(float(parts["width"])), int(float(parts["height"]))
        name = f"bsre-{len(self.requests)}"
        meta = signers.PdfSignatureMetadata(field_name=name, subfilter=fields.SigSeedSubFilter.PADES)
        spec = fields.SigFieldSpec(name, on_page=-1, box=(box[0], box[1], box[0] + width, box[1] + height))
        out = signers.PdfSigner(meta, self.signer, new_field_spec=spec).sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(parts["file"]))
        )
        return 200, "application/pdf", out.getvalue()


@pytest.fixture
def bsre(settings, tmp_path, people):
    fake = FakeBsre(tmp_path)

    with fake_service(fake.handle) as (server, base):
        fake.server = server
        _configure(settings, fake, base, people)
        yield fake


def _configure(settings, fake, base, people):
    settings.GERAI_SIGNING_BACKEND = "bsre"
    settings.GERAI_BSRE_URL = base
    settings.GERAI_BSRE_USER, settings.GERAI_BSRE_PASSWORD = "gerai", "klien"
    settings.GERAI_BSRE_TIMEOUT = 5
    settings.GERAI_SIGNING_TRUST_ROOTS = [str(fake.root_pem)]
    kades = people["kades"]
    profile = CitizenProfile.objects.create(
        user=kades,
        nik=compose(kecamatan_code="35.10.15", birth_date=dt.date(1975, 5, 2), female=True, serial=77),
        birth_date=dt.date(1975, 5, 2),
        sex="P",
        address="Kemiren",
    )
    fake.nik = profile.nik


@pytest.fixture
def domisili(submitted):
    from tests.conftest import SKU_ANSWERS

    return submitted(slug="surat-domisili", answers=[{"keperluan": "Bank", "lama_tinggal": "5"}, SKU_ANSWERS[1]])


def _sign(people, application, passphrase):
    return services.application_complete_step(
        actor=Actor(user=people["kades"]), application=application, passphrase=passphrase
    )


def test_signing_through_the_national_service(bsre, people, domisili, banyuwangi, caplog):
    _sign(people, domisili, PASSPHRASE)
    document = domisili.issued_documents.get()
    assert document.state == IssuedDocument.State.VALID and document.number.startswith("470/0001/")
    assert bsre.requests[-1]["nik"].decode() == bsre.nik
    with document.file.open("rb") as handle:
        assert verify_pdf(banyuwangi, handle.read()).outcome == "authentic"  # trusted through the configured root
    assert PASSPHRASE not in caplog.text
    assert not AuditEntry.objects.filter(changes__icontains=PASSPHRASE).exists()


@pytest.mark.parametrize("mode", ["wrong", "down", "garbage", "missing"])
def test_refusals_and_outages_leave_the_application_unsigned(bsre, people, domisili, mode, caplog):
    passphrase = {"wrong": "salah", "missing": ""}.get(mode, PASSPHRASE)
    if mode == "down":
        bsre.server.shutdown()
        bsre.server.server_close()
    bsre.mode = mode
    with pytest.raises(services.ApplicationError) as err:
        _sign(people, domisili, passphrase)
    expected = {"wrong": "wrong_passphrase", "down": "service_down", "garbage": "service_error"}
    assert err.value.code == expected.get(mode, "passphrase_required")
    application = Application.objects.get(pk=domisili.pk)
    assert application.status == Status.SUBMITTED and application.current_step.action == "sign"
    assert not IssuedDocument.objects.filter(application=application).exists()
    assert "salah" not in caplog.text and PASSPHRASE not in caplog.text
    bsre.mode = "ok"
    if mode != "down":
        _sign(people, application, PASSPHRASE)  # the retry takes number 1: nothing was consumed
        assert application.issued_documents.get().number.startswith("470/0001/")


def test_the_sign_form_asks_for_the_passphrase_only_when_the_service_needs_it(bsre, client_for, domisili, settings):
    url = f"/banyuwangi/kantor/permohonan/{domisili.ref}/"
    assert 'name="passphrase"' in client_for("kades").get(url).content.decode()
    settings.GERAI_SIGNING_BACKEND = "local"
    assert 'name="passphrase"' not in client_for("kades").get(url).content.decode()
