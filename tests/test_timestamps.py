"""With GERAI_TSA_URL set, every signature carries an RFC 3161 timestamp from that authority. The TSA here
is a fake on localhost answering real timestamp tokens (pyHanko's DummyTimeStamper behind HTTP)."""

import datetime as dt
import io

import pytest
from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from gerai.applications import services
from gerai.core.actors import Actor
from gerai.documents.signing import trust_roots
from tests.conftest import SKU_ANSWERS
from tests.fakes import fake_service

pytestmark = pytest.mark.django_db


def _tsa(tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's dummy TSA signs with RSA
    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Gerai test TSA")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = tmp_path / "tsa.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(der_key),
    )
    return stamper, pem


@pytest.fixture
def tsa(settings, tmp_path):
    stamper, pem = _tsa(tmp_path)
    hits = []

    def answer(path, headers, body):
        hits.append(headers.get("Content-Type"))
        return 200, "application/timestamp-reply", stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()

    with fake_service(answer) as (_server, base):
        settings.GERAI_TSA_URL = f"{base}/tsa"
        settings.GERAI_SIGNING_TRUST_ROOTS = [str(pem)]
        yield hits


def test_signatures_carry_the_configured_tsas_timestamp(tsa, submitted, people, banyuwangi):
    application = submitted(slug="surat-domisili", answers=[{"keperluan": "Bank", "lama_tinggal": "5"}, SKU_ANSWERS[1]])
    services.application_complete_step(actor=Actor(user=people["kades"]), application=application)
    assert tsa and set(tsa) == {"application/timestamp-query"}  # the TSA was asked
    with application.issued_documents.get().file.open("rb") as handle:
        reader = PdfFileReader(io.BytesIO(handle.read()))
    context = ValidationContext(trust_roots=trust_roots(banyuwangi), allow_fetching=False)
    status = validate_pdf_signature(reader.embedded_signatures[0], context, ts_validation_context=context)
    assert status.intact and status.trusted
    assert status.timestamp_validity is not None and status.timestamp_validity.intact
    assert status.timestamp_validity.trusted


def test_a_tsa_that_is_down_leaves_the_application_unsigned(settings, submitted, people):
    settings.GERAI_TSA_URL = "http://127.0.0.1:9/tsa"  # discard port: nothing listens
    application = submitted(slug="surat-domisili", answers=[{"keperluan": "Bank", "lama_tinggal": "5"}, SKU_ANSWERS[1]])
    with pytest.raises(services.ApplicationError) as err:
        services.application_complete_step(actor=Actor(user=people["kades"]), application=application)
    assert err.value.code == "signing_failed"
    assert not application.issued_documents.exists()
