"""The signing key store: private keys on disk under GERAI_SIGNING_KEYS_DIR, each file encrypted with a
passphrase derived from GERAI_SIGNING_KEYS_SECRET and the file's name. Never in the repository, never
in the database; the database keeps public certificates and file names only.

The demo (and a region without access to the national service) gets a certificate authority of its
own and a certificate per signer; production signing goes through the BSrE adapter instead."""

import datetime as dt
import hashlib
import hmac
import os
import re
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings


def keys_dir() -> Path:
    path = Path(settings.GERAI_SIGNING_KEYS_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _passphrase(name: str) -> bytes:
    secret = settings.GERAI_SIGNING_KEYS_SECRET.encode()
    return hmac.new(secret, f"gerai-key:{name}".encode(), hashlib.sha256).hexdigest().encode()


def _write(name: str, data: bytes) -> None:
    path = keys_dir() / name
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _safe(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9-]+/[a-z0-9.-]+", name):
        raise ValueError("bad key file name")
    return name


def read_pkcs12(name: str) -> tuple[bytes, bytes]:
    """The PKCS#12 bytes and their passphrase."""
    return (keys_dir() / _safe(name)).read_bytes(), _passphrase(name)


def _name(common_name: str, organisation: str, unit: str = "") -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
    ]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit[:64]))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    return x509.Name(parts)


def _usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signer,
        content_commitment=signer,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def create_authority(*, folder: str, organisation: str, years: int = 10) -> tuple[bytes, str]:
    """A new CA: returns its DER certificate and the key file's name."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    subject = _name(f"Gerai CA {organisation}", organisation)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(signer=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    name = _safe(f"{folder}/ca.pem")
    _write(
        name,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(_passphrase(name)),
        ),
    )
    return cert.public_bytes(serialization.Encoding.DER), name


def issue_signer(
    *, ca_der: bytes, ca_key_file: str, folder: str, common_name: str, organisation: str, title: str, years: int = 2
) -> tuple[bytes, str, str, dt.datetime]:
    """A signer certificate under the CA. Returns (DER, key file name, serial in hex, not_after)."""
    ca_cert = x509.load_der_x509_certificate(ca_der)
    ca_key = serialization.load_pem_private_key(
        (keys_dir() / _safe(ca_key_file)).read_bytes(), _passphrase(ca_key_file)
    )
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    serial = x509.random_serial_number()
    not_after = now + dt.timedelta(days=365 * years)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation, title))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signer=True), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)  # type: ignore[arg-type]
        .sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    name = _safe(f"{folder}/{serial:x}.p12")
    _write(
        name,
        pkcs12.serialize_key_and_certificates(
            common_name.encode()[:64], key, cert, [ca_cert], serialization.BestAvailableEncryption(_passphrase(name))
        ),
    )
    return cert.public_bytes(serialization.Encoding.DER), name, f"{serial:x}", not_after
