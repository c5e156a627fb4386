"""The demo's governance data: an assessor in each region, Banyuwangi's published results (SPBE 4.87
"Memuaskan" for 2025, the SAKIP grade AA for 2024) and an IKU per region measured by the agency's IKM.
Seruyan's SPBE sheet is left for the walk-through (tests/browser/test_governance_journey.py) to start."""

from gerai.accounts.services import staff_role_grant
from gerai.core.actors import Actor
from gerai.governance.services import iku_save, published_record

PRESS = "KemenPANRB, sebagaimana diberitakan pers nasional dan daerah"


def load_demo(*, make_user, bwi, sry, bwi_dinas: dict, sry_dinas: dict) -> dict:
    """`make_user(login, name)` makes a demo account (gerai/demo/build.py's, with two-step sign-in)."""
    actor = Actor.system()
    people = {}
    for region, dinas, login, name in (
        (bwi, bwi_dinas, "penilai@banyuwangi.demo", "Ratna Dewi Anggraini"),
        (sry, sry_dinas, "penilai@seruyan.demo", "Hendra Gunawan"),
    ):
        user = make_user(login, name)
        staff_role_grant(
            actor=actor,
            user=user,
            region=region,
            role="assessor",
            agency=dinas["diskominfo"],
            title="Penilai SPBE/SAKIP",
        )
        people[login] = user
    published_record(
        actor=actor,
        region=bwi,
        kind="spbe",
        year=2025,
        value="4.87",
        predicate="Memuaskan",
        source=f"Evaluasi SPBE 2025, {PRESS}",
    )
    published_record(
        actor=actor, region=bwi, kind="sakip", year=2024, predicate="AA", source=f"Evaluasi SAKIP 2024, {PRESS}"
    )
    for region, dinas, target in ((bwi, bwi_dinas, "88.31"), (sry, sry_dinas, "76.61")):
        iku_save(
            actor=actor,
            region=region,
            agency=dinas["dispendukcapil"],
            year=2026,
            name="Indeks Kepuasan Masyarakat layanan administrasi kependudukan",
            unit="IKM",
            target=target,
            live_source="ikm",
        )
    return people
