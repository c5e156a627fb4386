"""What the multi-instance test stands on, made through the services in a process of its own against the primary
(`python -m tests.scale.prepare`): a factory region with a one-step letter service (the desa head signs and the
letter is numbered), its certificate authority and signer, citizens who get their messages on WhatsApp, a
complaint category, and API tokens. Prints one JSON line for the test."""

import json
import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gerai.settings")
    import django

    django.setup()
    from gerai.accounts.models import StaffRole
    from gerai.accounts.services import api_token_create
    from gerai.core.actors import Actor
    from gerai.documents.services import document_template_save, signer_certificate_issue, signing_authority_create
    from tests.factories import PASSWORD, make_category, make_citizen, make_region, make_service, make_staff

    system = Actor.system()
    parts = make_region("35.09", "jember-uji", "TJB")
    service = make_service(
        parts,
        slug="surat-domisili",
        name="Surat Keterangan Domisili",
        steps=[{"name": "Tanda tangan kepala desa", "routing": "desa", "role": "supervisor", "action": "sign"}],
    )
    document_template_save(
        actor=system,
        service=service,
        title="Surat Keterangan Domisili",
        classification="470",
        paper="A4",
        body="<p>{{ pemohon.nama }} berdomisili di {{ pemohon.desa }} untuk keperluan {{ jawaban.keperluan }}.</p>",
        css="",
    )
    signing_authority_create(actor=system, region=parts.region)
    kades = make_staff(parts.region, parts.desa_office, StaffRole.Role.SUPERVISOR)
    signer_certificate_issue(actor=system, user=kades, region=parts.region, title="Kepala Desa")
    citizens = []
    for n in range(4):
        citizen = make_citizen(parts.desa, f"Warga Skala {n}")
        citizen.notify_channel, citizen.phone = "whatsapp", f"+6281200000{n:03d}"
        citizen.save(update_fields=["notify_channel", "phone"])
        citizens.append(citizen)
    category = make_category(parts)
    print(
        json.dumps(
            {
                "region": parts.region.slug,
                "service": service.slug,
                "desa": parts.desa.code,
                "agency": parts.desa_office.pk,
                "category": category.code,
                "citizens": [api_token_create(actor=system, user=c, name="scale")[1] for c in citizens],
                "kades": api_token_create(actor=system, user=kades, name="scale")[1],
                "login": citizens[0].login,
                "password": PASSWORD,
            }
        )
    )


if __name__ == "__main__":
    main()
