"""Signed-document benchmark: PDF render + PAdES signature throughput (documents per second), and
verification-by-upload throughput (requests per second through the real view), each beside a baseline
measured in the same run (the plain /healthz view through the same client), on a fresh SQLite demo.

    python bench/documents.py [--documents 30] [--uploads 60] [--rounds 3]
"""

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-documents"


def setup() -> None:
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "GERAI_VAR_DIR": str(VAR),
            "GERAI_HTTPS": "false",
            "GERAI_ALLOWED_HOSTS": "testserver,127.0.0.1",
            "DATABASE_URL": f"sqlite:///{VAR / 'bench.sqlite3'}",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_demo", verbosity=0)


def submitted_letters(count: int) -> list:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gerai.accounts.models import User
    from gerai.applications import services
    from gerai.catalog.models import Service
    from gerai.catalog.selectors import service_form_pages
    from gerai.core.actors import Actor

    citizen = User.objects.get(login="warga@banyuwangi.demo")
    actor = Actor(user=citizen)
    service = Service.objects.get(region__slug="banyuwangi", slug="surat-domisili")
    answers = [
        {"keperluan": "Pembukaan rekening bank", "lama_tinggal": "7"},
        {"desa": "35.10.15.2004", "telepon": "081234567890"},
    ]
    content = _png()
    result = []
    for _ in range(count):
        application = services.application_start(actor=actor, service=service, applicant=citizen)
        for fields, data in zip(service_form_pages(service), answers, strict=True):
            errors = services.application_save_answers(actor=actor, application=application, fields=fields, data=data)
            assert not errors, errors
        for requirement in service.documents.filter(required=True):
            services.application_attach_document(
                actor=actor,
                application=application,
                requirement=requirement,
                upload=SimpleUploadedFile("k.png", content),
            )
        result.append(services.application_submit(actor=actor, application=application))
    return result


def _png() -> bytes:
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4//8/AwAI/AL+p5qgoAAAAABJRU5ErkJggg=="
    )


def sign_round(count: int) -> tuple[float, bytes]:
    from gerai.accounts.models import User
    from gerai.applications import services
    from gerai.core.actors import Actor

    kades = Actor(user=User.objects.get(login="kades.kemiren@banyuwangi.demo"))
    applications = submitted_letters(count)
    start = time.perf_counter()
    for application in applications:
        services.application_complete_step(actor=kades, application=application)
    elapsed = time.perf_counter() - start
    document = applications[-1].issued_documents.get()
    with document.file.open("rb") as handle:
        return count / elapsed, handle.read()


def requests_per_second(client, count: int, send) -> float:
    start = time.perf_counter()
    for _ in range(count):
        response = send(client)
        assert response.status_code in (200, 400), response.status_code
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=30)
    parser.add_argument("--uploads", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    sign_rates, verify_rates, changed_rates, hello_rates = [], [], [], []
    sign_round(2)  # warm-up: fonts, templates, keys
    for _ in range(args.rounds):
        rate, pdf = sign_round(args.documents)
        sign_rates.append(rate)
        tampered = bytearray(pdf)
        tampered[tampered.index(b"stream") + 300] ^= 1
        client = Client()

        def upload(data):
            return lambda c: c.post("/banyuwangi/verifikasi/", {"berkas": SimpleUploadedFile("s.pdf", data)})

        hello_rates.append(requests_per_second(client, args.uploads, lambda c: c.get("/healthz")))
        verify_rates.append(requests_per_second(client, args.uploads, upload(pdf)))
        changed_rates.append(requests_per_second(client, args.uploads, upload(bytes(tampered))))
    med = statistics.median
    print(f"documents: {args.documents} per round, uploads: {args.uploads} per round, rounds: {args.rounds}")
    print(f"sign step (number, render, PAdES signature, file, audit): {med(sign_rates):.2f} documents/s")
    print(f"baseline /healthz through the same client:  {med(hello_rates):8.1f} req/s")
    print(
        f"verify by upload (authentic):  {med(verify_rates):8.1f} req/s  = {med(verify_rates) / med(hello_rates):.3f}"
        " of the baseline"
    )
    print(
        f"verify by upload (changed):    {med(changed_rates):8.1f} req/s  = {med(changed_rates) / med(hello_rates):.3f}"
        " of the baseline"
    )


if __name__ == "__main__":
    main()
