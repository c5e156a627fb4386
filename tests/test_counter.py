"""Filing at a counter (assisted mode): only for the region's residents or a citizen at the counter, no
account-existence oracle, the citizen's consent (a one-time code or a signed paper form) recorded with the
filing, a printed receipt for a citizen without an account, and claiming the filing into an account later. The
people and the service are the factories' (tests/factories.py): region A is "jember-uji" (Kabupaten Jember), its
desa office files at its counter, region B ("tanahlaut-uji") is another region."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gerai.accounts.models import nik_index
from gerai.applications import services
from gerai.applications.models import Application, CounterConsent, CounterFiling, Status
from gerai.audit.models import AuditEntry
from gerai.catalog.selectors import service_form_pages
from gerai.core.actors import Actor
from gerai.lib.nik import compose
from gerai.notifications.models import OutboxMessage
from tests.conftest import EXE, PNG

pytestmark = pytest.mark.django_db

COUNTER = "/jember-uji/kantor/loket/"
DESA = "35.09.01.2001"  # the factory region's desa (Padomasan), whose office is the desa officer's
PHONE = "+6281234567890"
# a resident of the factory region (Kec. Jombang) with no account on the platform
NO_ACCOUNT_NIK = compose(kecamatan_code="35.09.01", birth_date=dt.date(1961, 4, 9), female=True, serial=4321)


@pytest.fixture
def client_for(personas):
    """A client signed in as the factory persona of that name (tests/factories.py, Personas)."""
    return personas.client


@pytest.fixture(autouse=True)
def _sms_on(settings):
    settings.GERAI_SMS_GATEWAY = "webhook"
    settings.GERAI_SMS_WEBHOOK_URL = "http://127.0.0.1:9/sms"  # queued only: the tests never send


def _start(client, nik, **extra):
    data = {"service": "surat-keterangan", "nik": nik, "name": "Mbok Sumiati", "desa": DESA, "phone": "0812 3456 7890"}
    return client.post(COUNTER, {**data, **extra})


def _ref(location: str) -> str:
    return location.split("/")[3]


def _fill(client, location: str) -> str:
    """Answer the question page and upload the KTP as the officer; the draft's ref."""
    ref = _ref(location)
    base = f"/jember-uji/permohonan/{ref}"
    assert client.post(f"{base}/isi/1/", {"keperluan": "Bank", "desa": DESA}).status_code == 302
    png = _png("ktp.png")
    assert client.post(f"{base}/dokumen/", {"doc-ktp": png, "continue": "1"}).status_code == 302
    return ref


def _png(name):
    return SimpleUploadedFile(name, PNG)


def _consent_url(ref):
    return f"{COUNTER}{ref}/persetujuan/"


def _receipt_url(ref):
    return f"{COUNTER}{ref}/tanda-terima/"


def _sent_code(ref) -> str:
    message = OutboxMessage.objects.filter(event="counter_code").latest("pk")
    assert message.channel == "sms" and message.to == PHONE
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def _file_on_paper(client, ref):
    return client.post(_consent_url(ref), {"step": "paper", "scan": _png("persetujuan.png"), "witnessed": "on"})


# --- who may be served ---------------------------------------------------------------------------


def test_an_officer_cannot_file_for_another_regions_nik(client_for, personas):
    foreign_nik = personas.outsider_citizen.citizen.nik
    before = Application.objects.count()
    response = _start(client_for("desa_officer"), foreign_nik)
    assert response.status_code == 200
    assert "tidak diterbitkan di Kabupaten Jember" in response.text
    assert Application.objects.count() == before
    # nor does the filing land in the other region's citizen's list, by any route
    assert not Application.objects.filter(applicant=personas.outsider_citizen, assisted=True).exists()


def test_a_citizen_of_another_region_at_the_counter_consents_on_paper_only(client_for, personas):
    officer = client_for("desa_officer")
    response = _start(officer, personas.outsider_citizen.citizen.nik, in_person="on")
    assert response.status_code == 302
    ref = _fill(officer, response["Location"])
    page = officer.get(_consent_url(ref)).text
    assert 'value="send"' not in page and 'value="paper"' in page
    refused = officer.post(_consent_url(ref), {"step": "code", "code": "123456"})
    assert refused.status_code == 200 and Application.objects.get(ref=ref).status == Status.DRAFT
    assert _file_on_paper(officer, ref).status_code == 302
    application = Application.objects.get(ref=ref)
    assert application.status == Status.SUBMITTED and application.applicant is None  # nobody's list


def test_only_counter_officers_of_the_region_may_file(client_for, personas):
    assert client_for("citizen").get(COUNTER).status_code == 404
    assert client_for("outsider").get(COUNTER).status_code == 404
    officer = client_for("desa_officer")
    ref = _ref(_start(officer, NO_ACCOUNT_NIK)["Location"])
    for outsider in ("outsider", "other_desa_officer", "citizen"):  # another region, another office, a citizen
        client = client_for(outsider)
        assert client.get(_consent_url(ref)).status_code == 404
        assert client.get(_receipt_url(ref)).status_code == 404
        assert client.get(f"{COUNTER}{ref}/formulir/").status_code == 404
    form = officer.get(f"{COUNTER}{ref}/formulir/")
    assert form.status_code == 200 and "Mbok Sumiati" in form.text and NO_ACCOUNT_NIK not in form.text
    assert client_for("outsider").get(f"/tanahlaut-uji/kantor/loket/{ref}/persetujuan/").status_code == 404


# --- no account-existence oracle -----------------------------------------------------------------


def _without_tokens(html: str, ref: str = "") -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    return html.replace(ref, "REF") if ref else html


def test_the_answer_is_the_same_whether_the_nik_has_an_account_or_not(client_for, personas):
    with_account = personas.citizen.citizen.nik
    assert not CounterFiling.objects.filter(nik_index=nik_index(NO_ACCOUNT_NIK)).exists()
    officer = client_for("desa_officer")
    # a form with a mistake elsewhere: the same page for both
    incomplete = [_start(officer, nik, name="") for nik in (with_account, NO_ACCOUNT_NIK)]
    assert incomplete[0].status_code == incomplete[1].status_code == 200
    assert _without_tokens(incomplete[0].text).replace(with_account, "NIK") == _without_tokens(
        incomplete[1].text
    ).replace(NO_ACCOUNT_NIK, "NIK")
    # a complete form: both go on to the form and the consent, and neither is in anybody's list
    started = [_start(officer, nik) for nik in (with_account, NO_ACCOUNT_NIK)]
    assert started[0].status_code == started[1].status_code == 302
    refs = [_ref(r["Location"]) for r in started]
    assert started[0]["Location"].replace(refs[0], "REF") == started[1]["Location"].replace(refs[1], "REF")
    pages = [officer.get(_consent_url(ref)).text for ref in refs]
    masked = [f"{nik[:4]}********{nik[-4:]}" for nik in (with_account, NO_ACCOUNT_NIK)]
    assert _without_tokens(pages[0], refs[0]).replace(masked[0], "NIK") == _without_tokens(pages[1], refs[1]).replace(
        masked[1], "NIK"
    )
    assert Application.objects.filter(ref__in=refs, applicant__isnull=True).count() == 2
    assert not Application.objects.filter(applicant=personas.citizen, assisted=True).exists()


# --- consent ------------------------------------------------------------------------------------


def test_consent_by_code_refuses_a_wrong_or_expired_code_and_files_with_the_right_one(client_for, personas):
    officer = client_for("desa_officer")
    ref = _fill(officer, _start(officer, NO_ACCOUNT_NIK)["Location"])
    # the citizen's own check page cannot send it without consent
    officer.post(f"/jember-uji/permohonan/{ref}/periksa/")
    assert Application.objects.get(ref=ref).status == Status.DRAFT

    assert officer.post(_consent_url(ref), {"step": "send", "to": "phone"}).status_code == 302
    code = _sent_code(ref)
    filing = CounterFiling.objects.get(application__ref=ref)
    assert code not in filing.otp_hash and len(filing.otp_hash) == 64  # kept only as a keyed hash

    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = officer.post(_consent_url(ref), {"step": "code", "code": wrong})
    assert response.status_code == 200 and "Kode itu tidak benar" in response.text
    assert Application.objects.get(ref=ref).status == Status.DRAFT

    CounterFiling.objects.filter(pk=filing.pk).update(otp_expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = officer.post(_consent_url(ref), {"step": "code", "code": code})
    assert response.status_code == 200 and "kedaluwarsa" in response.text
    assert Application.objects.get(ref=ref).status == Status.DRAFT

    officer.post(_consent_url(ref), {"step": "send", "to": "phone"})
    code = _sent_code(ref)
    response = officer.post(_consent_url(ref), {"step": "code", "code": code})
    assert response.status_code == 302 and response["Location"] == _receipt_url(ref)
    application = Application.objects.get(ref=ref)
    assert application.status == Status.SUBMITTED and application.tracking_code
    consent = CounterConsent.objects.get(application=application)
    assert consent.method == "otp" and consent.channel == "sms" and consent.witnessed_by == personas.desa_officer
    entries = AuditEntry.objects.filter(object_id=str(application.pk), via="counter")
    assert {"application.counter_consent", "application.submit", "application.counter_code_sent"} <= set(
        entries.values_list("action", flat=True)
    )
    # the code is spent
    assert CounterFiling.objects.get(pk=filing.pk).otp_hash == ""
    # the officer's answers and uploads are recorded as made at the counter too
    filled = AuditEntry.objects.filter(
        object_id=str(application.pk), action__in=["application.save_answers", "application.attach_document"]
    )
    assert filled.count() == 2 and set(filled.values_list("via", flat=True)) == {"counter"}  # a page, a document


def test_the_consent_code_is_not_in_the_subject_and_is_blanked_out_of_the_outbox_once_sent(client_for, mailoutbox):
    from gerai.notifications.services import MAX_ATTEMPTS, outbox_deliver

    officer = client_for("desa_officer")
    ref = _fill(officer, _start(officer, NO_ACCOUNT_NIK, phone="", email="sumiati@contoh.id")["Location"])
    officer.post(_consent_url(ref), {"step": "send", "to": "email"})
    message = OutboxMessage.objects.filter(event="counter_code").latest("pk")
    code = re.search(r"\b(\d{6})\b", message.body).group(1)  # queued: the code is there until it is sent
    assert message.channel == "email" and message.subject and not re.search(r"\d", message.subject)
    assert outbox_deliver(message.pk) == "sent"
    assert code in mailoutbox[-1].body and code not in mailoutbox[-1].subject
    message.refresh_from_db()
    assert code not in message.body and "------" in message.body
    # a text that is given up on keeps no code either
    sms = client_for("desa_officer")
    ref = _fill(sms, _start(sms, NO_ACCOUNT_NIK)["Location"])
    sms.post(_consent_url(ref), {"step": "send", "to": "phone"})
    code = _sent_code(ref)
    message = OutboxMessage.objects.filter(event="counter_code").latest("pk")
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)
    assert outbox_deliver(message.pk) == "failed"  # nothing listens on the test gateway's port
    message.refresh_from_db()
    assert code not in message.body


def test_the_consent_records_where_the_code_went_masked_and_hashed(client_for):
    officer = client_for("desa_officer")
    ref = _fill(officer, _start(officer, NO_ACCOUNT_NIK)["Location"])
    officer.post(_consent_url(ref), {"step": "send", "to": "phone"})
    assert officer.post(_consent_url(ref), {"step": "code", "code": _sent_code(ref)}).status_code == 302
    consent = CounterConsent.objects.get(application__ref=ref)
    assert consent.destination_masked == "+6281******890" and len(consent.destination_hash) == 64
    assert PHONE not in consent.destination_hash
    for action in ("application.counter_code_sent", "application.counter_consent"):
        entry = AuditEntry.objects.get(action=action, object_id=str(consent.application_id))
        assert entry.changes["to"] == "+6281******890" and entry.changes["to_hash"] == consent.destination_hash


def test_the_code_cannot_go_to_an_officers_phone_or_email(client_for, personas):
    officer = client_for("desa_officer")
    own_email = personas.desa_officer.email or personas.desa_officer.login
    ref = _fill(officer, _start(officer, NO_ACCOUNT_NIK, phone="", email=own_email.upper())["Location"])
    refused = officer.post(_consent_url(ref), {"step": "send", "to": "email"}, follow=True)
    assert "milik akun petugas" in refused.text
    assert not OutboxMessage.objects.filter(event="counter_code", to__iexact=own_email).exists()
    # any staff account's number, not only the officer's own
    staff_phone = "+6281399998888"
    personas.dinas_officer.phone = staff_phone
    personas.dinas_officer.save(update_fields=["phone"])
    ref = _fill(officer, _start(officer, NO_ACCOUNT_NIK, phone="0813 9999 8888")["Location"])
    refused = officer.post(_consent_url(ref), {"step": "send", "to": "phone"}, follow=True)
    assert "milik akun petugas" in refused.text
    assert not OutboxMessage.objects.filter(event="counter_code", to=staff_phone).exists()
    assert CounterFiling.objects.get(application__ref=ref).otp_hash == ""
    # the paper form is still there
    assert _file_on_paper(officer, ref).status_code == 302


def test_a_phone_that_confirmed_another_niks_consent_lately_is_refused(client_for):
    officer = client_for("desa_officer")
    ref = _fill(officer, _start(officer, NO_ACCOUNT_NIK)["Location"])
    officer.post(_consent_url(ref), {"step": "send", "to": "phone"})
    officer.post(_consent_url(ref), {"step": "code", "code": _sent_code(ref)})
    assert Application.objects.get(ref=ref).status == Status.SUBMITTED
    sent = OutboxMessage.objects.filter(event="counter_code").count()
    # another NIK, the same phone: refused (a household sharing a phone signs the paper form)
    other_nik = compose(kecamatan_code="35.09.01", birth_date=dt.date(1970, 1, 2), female=False, serial=1234)
    other = _fill(officer, _start(officer, other_nik)["Location"])
    refused = officer.post(_consent_url(other), {"step": "send", "to": "phone"}, follow=True)
    assert "30 hari terakhir" in refused.text
    assert OutboxMessage.objects.filter(event="counter_code").count() == sent
    # the same citizen's next application: fine
    again = _fill(officer, _start(officer, NO_ACCOUNT_NIK)["Location"])
    officer.post(_consent_url(again), {"step": "send", "to": "phone"})
    assert OutboxMessage.objects.filter(event="counter_code").count() == sent + 1
    # and after 30 days the phone may confirm for someone else
    CounterConsent.objects.filter(application__ref=ref).update(at=timezone.now() - dt.timedelta(days=31))
    officer.post(_consent_url(other), {"step": "send", "to": "phone"})
    assert OutboxMessage.objects.filter(event="counter_code").count() == sent + 2


def test_five_wrong_codes_lock_the_code(client_for):
    officer = client_for("desa_officer")
    ref = _fill(officer, _start(officer, NO_ACCOUNT_NIK)["Location"])
    officer.post(_consent_url(ref), {"step": "send", "to": "phone"})
    code = _sent_code(ref)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _attempt in range(5):
        officer.post(_consent_url(ref), {"step": "code", "code": wrong})
    response = officer.post(_consent_url(ref), {"step": "code", "code": code})
    assert "Terlalu banyak kode salah" in response.text
    assert Application.objects.get(ref=ref).status == Status.DRAFT


def test_consent_on_paper_keeps_the_scan_as_evidence(client_for, personas):
    officer = client_for("desa_officer")
    ref = _fill(officer, _start(officer, NO_ACCOUNT_NIK)["Location"])
    bad = officer.post(
        _consent_url(ref), {"step": "paper", "scan": SimpleUploadedFile("form.pdf", EXE), "witnessed": "on"}
    )
    assert bad.status_code == 200 and Application.objects.get(ref=ref).status == Status.DRAFT
    unwitnessed = officer.post(_consent_url(ref), {"step": "paper", "scan": _png("form.png")})
    assert unwitnessed.status_code == 200 and Application.objects.get(ref=ref).status == Status.DRAFT

    assert _file_on_paper(officer, ref)["Location"] == _receipt_url(ref)
    consent = CounterConsent.objects.get(application__ref=ref)
    assert consent.method == "paper" and consent.witnessed_by == personas.desa_officer
    assert consent.evidence_type == "image/png" and len(consent.evidence_sha256) == 64
    assert consent.evidence.read() == PNG
    assert AuditEntry.objects.filter(
        action="application.counter_consent", object_id=str(consent.application_id), changes__method="paper"
    ).exists()


# --- the receipt, the SMS and the claim ---------------------------------------------------------


def test_filing_for_a_citizen_without_an_account_prints_a_receipt_and_texts_the_code(client_for):
    officer = client_for("desa_officer")
    ref = _fill(officer, _start(officer, NO_ACCOUNT_NIK)["Location"])
    receipt = officer.get(_file_on_paper(officer, ref)["Location"])
    application = Application.objects.get(ref=ref)
    assert receipt.status_code == 200
    assert f"data-tracking-code>{application.tracking_code}<" in receipt.text
    assert re.search(r"data-claim-code>[0-9A-Z]{5}-[0-9A-Z]{5}<", receipt.text)
    assert NO_ACCOUNT_NIK not in receipt.text  # masked even on the citizen's own paper
    text = OutboxMessage.objects.get(event="counter_receipt", to=PHONE)
    assert text.channel == "sms" and application.tracking_code in text.body and text.user is None


def _claim_code(receipt_html: str) -> str:
    return re.search(r"data-claim-code>([0-9A-Z]{5}-[0-9A-Z]{5})<", receipt_html).group(1)


def _registered_since(nik=NO_ACCOUNT_NIK, login="sumiati@contoh.id"):
    """The citizen the filing was for, who has made an account since, with their NIK."""
    from django.test import Client

    from gerai.accounts.models import CitizenProfile, User

    user = User.objects.create_user(login, "x", email=login, email_confirmed_at=timezone.now())
    if nik:
        CitizenProfile.objects.create(user=user, nik=nik, birth_date=dt.date(1961, 4, 9), sex="P", address="Padomasan")
    client = Client()
    client.force_login(user)
    return user, client


def _filed_with_claim_code(officer):
    ref = _fill(officer, _start(officer, NO_ACCOUNT_NIK)["Location"])
    receipt = officer.get(_file_on_paper(officer, ref)["Location"]).text
    return Application.objects.get(ref=ref), _claim_code(receipt)


def test_the_claim_code_is_shown_on_the_first_receipt_only(client_for):
    officer = client_for("desa_officer")
    application, _code = _filed_with_claim_code(officer)
    again = officer.get(_receipt_url(application.ref))
    assert again.status_code == 200 and application.tracking_code in again.text
    assert "data-claim-code" not in again.text


def test_only_the_citizen_with_the_filings_nik_can_claim_it(client_for, personas):
    officer = client_for("desa_officer")
    application, claim_code = _filed_with_claim_code(officer)
    url = "/jember-uji/permohonan/klaim/"
    wrong_secret = "00000-00000" if claim_code != "00000-00000" else "11111-11111"
    # another citizen (or the officer's friend) with both codes: the same answer as a wrong code
    other = client_for("other_citizen")
    stolen = other.post(url, {"tracking_code": application.tracking_code, "claim_code": claim_code})
    wrong = other.post(url, {"tracking_code": application.tracking_code, "claim_code": wrong_secret})
    assert stolen.status_code == wrong.status_code == 200
    assert _without_tokens(stolen.text).replace(claim_code, "Y") == _without_tokens(wrong.text).replace(
        wrong_secret, "Y"
    )
    assert Application.objects.get(pk=application.pk).applicant is None
    assert other.get(f"/jember-uji/permohonan/{application.ref}/").status_code == 404
    # an account without a NIK is asked to give it first
    _nobody, no_nik = _registered_since(nik="", login="tanpa.nik@contoh.id")
    asked = no_nik.post(url, {"tracking_code": application.tracking_code, "claim_code": claim_code})
    assert asked.status_code == 302 and asked["Location"].startswith("/akun/profil/")
    assert Application.objects.get(pk=application.pk).applicant is None
    # the citizen it was filed for can
    sumiati, citizen = _registered_since()
    done = citizen.post(url, {"tracking_code": application.tracking_code, "claim_code": claim_code})
    assert done.status_code == 302 and Application.objects.get(pk=application.pk).applicant == sumiati


def test_the_citizen_claims_the_filing_into_their_account_with_the_claim_code(client_for, personas):
    officer = client_for("desa_officer")
    ref = _fill(officer, _start(officer, NO_ACCOUNT_NIK)["Location"])
    receipt = officer.get(_file_on_paper(officer, ref)["Location"]).text
    application = Application.objects.get(ref=ref)
    claim_code = _claim_code(receipt)
    wrong_secret = "00000-00000" if claim_code != "00000-00000" else "11111-11111"

    sumiati, citizen = _registered_since()  # the citizen it was filed for, who has registered since
    url = "/jember-uji/permohonan/klaim/"
    assert citizen.get(url).status_code == 200
    wrong = citizen.post(url, {"tracking_code": application.tracking_code, "claim_code": wrong_secret})
    no_such = citizen.post(url, {"tracking_code": "TJB-0000-0000", "claim_code": claim_code})
    assert wrong.status_code == no_such.status_code == 200
    assert _without_tokens(wrong.text).replace(application.tracking_code, "X").replace(
        wrong_secret, "Y"
    ) == _without_tokens(no_such.text).replace("TJB-0000-0000", "X").replace(claim_code, "Y")
    assert Application.objects.get(ref=ref).applicant is None

    # read off paper: lower case, spaces, O for 0
    typed = claim_code.lower().replace("-", " ").replace("0", "o")
    response = citizen.post(url, {"tracking_code": application.tracking_code.lower(), "claim_code": typed})
    assert response.status_code == 302 and response["Location"] == f"/jember-uji/permohonan/{ref}/"
    assert Application.objects.get(ref=ref).applicant == sumiati
    assert application.tracking_code in citizen.get("/jember-uji/permohonan/").text
    # its own audit action, not the one of an officer taking an application
    assert AuditEntry.objects.filter(action="application.counter_claim", object_id=str(application.pk)).exists()
    assert not AuditEntry.objects.filter(action="application.claim", object_id=str(application.pk)).exists()
    # once only
    again = citizen.post(url, {"tracking_code": application.tracking_code, "claim_code": claim_code})
    assert again.status_code == 200 and Application.objects.get(ref=ref).applicant == sumiati


def test_the_officer_cannot_open_the_citizens_pages_once_it_is_claimed(client_for):
    officer = client_for("desa_officer")
    application, claim_code = _filed_with_claim_code(officer)
    page = f"/jember-uji/permohonan/{application.ref}/isi/1/"
    Application.objects.filter(pk=application.pk).update(status=Status.NEEDS_CORRECTION)
    assert officer.get(page).status_code == 200  # unclaimed: the officer corrects it for the citizen
    sumiati, citizen = _registered_since()
    citizen.post(
        "/jember-uji/permohonan/klaim/", {"tracking_code": application.tracking_code, "claim_code": claim_code}
    )
    assert Application.objects.get(pk=application.pk).applicant == sumiati
    for url in (
        page,
        f"/jember-uji/permohonan/{application.ref}/",
        f"/jember-uji/permohonan/{application.ref}/dokumen/",
    ):
        assert officer.get(url).status_code == 404
    assert citizen.get(page).status_code == 200


def test_claims_are_throttled(client_for):
    citizen = client_for("other_citizen")
    for _attempt in range(10):
        citizen.post("/jember-uji/permohonan/klaim/", {"tracking_code": "TJB-0000-0000", "claim_code": "X" * 10})
    response = citizen.post("/jember-uji/permohonan/klaim/", {"tracking_code": "TJB-0000-0000", "claim_code": "Y"})
    assert response.status_code == 429


# --- assisted drafts of the older flow -----------------------------------------------------------


def test_an_assisted_draft_of_the_older_flow_can_still_be_sent_by_its_citizen(client_for, personas):
    """Before counter filings, an officer filled a draft in for a citizen's account (applicant set, no
    CounterFiling): the consent rule is not theirs, so their citizen sends it from the check page."""
    officer = Actor(user=personas.desa_officer, via="counter")
    service = personas.service
    draft = services.application_start(actor=officer, service=service, applicant=personas.citizen, assisted=True)
    Application.objects.filter(pk=draft.pk).update(created_by=personas.desa_officer)
    answers = [{"keperluan": "Bank", "desa": DESA}]
    for fields, data in zip(service_form_pages(service), answers, strict=True):
        assert services.application_save_answers(actor=officer, application=draft, fields=fields, data=data) == {}
    for requirement in service.documents.filter(required=True):
        services.application_attach_document(
            actor=officer, application=draft, requirement=requirement, upload=_png("k.png")
        )
    assert not CounterFiling.objects.filter(application=draft).exists()

    citizen = client_for("citizen")
    page = citizen.get(f"/jember-uji/permohonan/{draft.ref}/periksa/")
    assert page.status_code == 200 and "/persetujuan/" not in page.text
    sent = citizen.post(f"/jember-uji/permohonan/{draft.ref}/periksa/")
    assert sent.status_code == 302
    assert Application.objects.get(pk=draft.pk).status == Status.SUBMITTED


# --- personal data ------------------------------------------------------------------------------


def test_the_nik_is_never_in_a_url_the_queue_or_the_audit_log(client_for):
    officer = client_for("desa_officer")
    started = _start(officer, NO_ACCOUNT_NIK)
    locations = [started["Location"]]
    ref = _fill(officer, started["Location"])
    assert "Mbok Sumiati" not in officer.get(COUNTER).text  # the officer's unsent filings: masked
    assert "M*** S******" in officer.get(COUNTER).text
    filed = _file_on_paper(officer, ref)
    locations.append(filed["Location"])
    assert not any(NO_ACCOUNT_NIK in loc or PHONE in loc for loc in locations)
    queue = officer.get("/jember-uji/kantor/").text  # the desa's office holds the first step
    application = Application.objects.get(ref=ref)
    assert application.tracking_code in queue and NO_ACCOUNT_NIK not in queue
    changes = AuditEntry.objects.filter(object_id=str(application.pk)).values_list("changes", flat=True)
    assert not any(NO_ACCOUNT_NIK in str(c) or PHONE in str(c) for c in changes)
    # the officers handling it see whom it is for
    detail = officer.get(f"/jember-uji/kantor/permohonan/{ref}/").text
    assert "Mbok Sumiati" in detail
