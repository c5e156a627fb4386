"""Where the API submission's time goes, in process: N submissions and N bare submissions through Django's test
client under cProfile (CPU time), each part of the submission printed in units of the bare submission's whole
request, the unit of its budget line. Parts nest (the audit entry includes the webhook query); they are the
service's steps, not a partition. Run by bench/run.py after the load runs (the benchmark's environment,
BENCH_TOKEN), or alone: python bench/breakdown.py [N]."""

import cProfile
import os
import sys
import time

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client  # noqa: E402

PDF = (  # the one-page PDF of bench/lua/submit.lua
    b"%PDF-1.3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n/Count 1\n/Kids [ 4 0 R ]\n>>\n"
    b"endobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n4 0 obj\n<<\n/Type /Page\n/Resources <<\n>>\n"
    b"/MediaBox [ 0.0 0.0 595 842 ]\n/Parent 2 0 R\n>>\nendobj\nxref\n0 5\n0000000000 65535 f \n0000000009 00000 n \n"
    b"0000000048 00000 n \n0000000107 00000 n \n0000000156 00000 n \ntrailer\n<<\n/Size 5\n/Root 3 0 R\n"
    b"/Info 1 0 R\n>>\nstartxref\n250\n%%EOF\n"
)
ANSWERS = '{"keperluan": "Melamar pekerjaan", "lama_tinggal": 3, "desa": "35.10.15.2004", "telepon": "081234567890"}'
PARTS = [  # (label, file, function): the submission's steps
    ("token and user (3 tables)", "accounts/selectors.py", "api_token_user"),
    ("multipart body", "django/http/request.py", "_load_post_and_files"),
    ("Idempotency-Key record", "api/services.py", "idempotency_claim"),
    ("answers checked with the service's forms", "applications/services.py", "_cleaned_answers"),
    ("file sniffed, parsed and hashed", "applications/services.py", "_checked_uploads"),
    ("file stored and its row", "applications/services.py", "_store_document"),
    ("timeline event row", "applications/services.py", "_event"),
    ("audit entry, its chain and events", "audit/services.py", "audit_record"),
    ("  of which the webhook subscriptions", "webhooks/services.py", "deliveries_record"),
    ("message rendered and queued", "applications/messages.py", "notify_application_event"),
    ("  of which the template", "django/template/loader.py", "render_to_string"),
    ("pending rollup change", "core/events.py", "batched"),
    ("page cache bumped after the commit", "core/pagecache.py", "_bump"),
]
client = Client(HTTP_HOST="127.0.0.1")
counter = [0]


def _post(path: str):
    counter[0] += 1
    response = client.post(
        path,
        {"answers": ANSWERS, "ktp": SimpleUploadedFile("ktp.pdf", PDF, "application/pdf")},
        HTTP_AUTHORIZATION=f"Bearer {os.environ['BENCH_TOKEN']}",
        HTTP_IDEMPOTENCY_KEY=f"breakdown-{time.time_ns()}-{counter[0]}",
    )
    assert response.status_code == 201, response.content[:300]


def submission():
    _post("/api/v1/regions/banyuwangi/services/surat-domisili/applications")


def bare_submission():
    _post("/bench/bare-submission")


def profiled(call, n: int) -> tuple[dict, float]:
    for _ in range(3):
        call()
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for _ in range(n):
        call()
    profile.disable()
    profile.create_stats()
    stats = profile.stats  # type: ignore[attr-defined]
    total = sum(v[3] for (f, _l, name), v in stats.items() if name == call.__name__ and f == __file__)
    return stats, total


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    stats, total = profiled(submission, n)
    _bare_stats, bare = profiled(bare_submission, n)
    print(f"   API submission in process (cProfile, CPU): {bare / total:.2f} x the bare one; its steps in bare ones:")
    for label, path, name in PARTS:
        spent = sum(v[3] for (f, _l, func), v in stats.items() if func == name and path in f)
        print(f"     {label:42s} {spent / bare:5.2f} x  ({spent / total:4.0%} of the submission)")


if __name__ == "__main__":
    main()
