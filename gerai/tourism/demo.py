"""Demo destinations and Banyuwangi Festival events, written through the services. The names are real; the
dates are placed around the day the demo is loaded (yearly events a year back, so the archive has them and the
agenda shows their next date), and the photos are drawn here: no photograph is copied from anywhere."""

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from PIL import Image, ImageDraw

from gerai.core.actors import Actor
from gerai.regions.models import Area
from gerai.tourism import services
from gerai.tourism.models import Destination, Event

DESTINATIONS = [
    # slug, kind, name, name_en, summary, summary_en, area name (desa or kecamatan), lat, lon, ticket, featured
    (
        "kawah-ijen",
        "alam",
        "Kawah Ijen",
        "Ijen Crater",
        "Kawah gunung api dengan danau asam berwarna toska dan api biru yang tampak sebelum fajar.",
        "A volcanic crater with a turquoise acid lake and blue fire seen before dawn.",
        "Tamansari",
        "-8.058",
        "114.242",
        15000,
        True,
    ),
    (
        "pantai-pulau-merah",
        "pantai",
        "Pantai Pulau Merah",
        "Red Island Beach",
        "Pantai berpasir putih dengan bukit kecil berbatu merah, tempat berselancar dan menikmati senja.",
        "A white-sand beach with a small red-soil hill offshore, for surfing and sunsets.",
        "Sumberagung",
        "-8.599",
        "114.025",
        10000,
        True,
    ),
    (
        "taman-nasional-alas-purwo",
        "alam",
        "Taman Nasional Alas Purwo",
        "Alas Purwo National Park",
        "Hutan pantai, savana Sadengan dengan banteng, dan ombak G-Land di ujung tenggara Jawa.",
        "",
        "Tegaldlimo",
        "-8.650",
        "114.370",
        None,
        False,
    ),
    (
        "desa-adat-kemiren",
        "desa-wisata",
        "Desa Adat Kemiren",
        "Kemiren Customary Village",
        "Desa suku Osing: rumah adat, kopi Osing, tari gandrung dan tradisi Tumpeng Sewu.",
        "The Osing people's village: customary houses, Osing coffee, gandrung dance and Tumpeng Sewu.",
        "Kemiren",
        "-8.208",
        "114.328",
        0,
        True,
    ),
    (
        "de-djawatan",
        "alam",
        "De Djawatan",
        "De Djawatan Forest",
        "Hutan trembesi tua berlumut bekas tempat penimbunan kayu, teduh dan mudah dijangkau.",
        "",
        "Benculuk",
        "-8.428",
        "114.223",
        5000,
        False,
    ),
]

EVENTS = [
    # slug, category, title, title_en, summary, venue (destination slug or (name, address)), days from load day,
    # start hour, hours, yearly, price
    (
        "banyuwangi-ethno-carnival",
        "festival",
        "Banyuwangi Ethno Carnival",
        "Banyuwangi Ethno Carnival",
        "Karnaval busana etnik Osing di sepanjang jalan protokol kota Banyuwangi.",
        ("Taman Blambangan", "Jl. Sritanjung, Banyuwangi"),
        75,
        13,
        5,
        True,
        0,
    ),
    (
        "festival-gandrung-sewu",
        "budaya",
        "Festival Gandrung Sewu",
        "Thousand Gandrung Dancers Festival",
        "Seribu lebih penari gandrung menari bersama di tepi pantai Selat Bali.",
        ("Pantai Marina Boom", "Jl. Nusantara, Kampung Mandar, Banyuwangi"),
        40,
        14,
        4,
        True,
        0,
    ),
    (
        "tour-de-banyuwangi-ijen",
        "olahraga",
        "International Tour de Banyuwangi Ijen",
        "International Tour de Banyuwangi Ijen",
        "Balap sepeda internasional empat etape, berakhir di tanjakan menuju Kawah Ijen.",
        "kawah-ijen",
        100,
        7,
        80,
        True,
        None,
    ),
    (
        "kebo-keboan-alasmalang",
        "adat",
        "Kebo-keboan Alasmalang",
        "",
        "Ritual bersih desa di bulan Suro: warga berdandan kerbau membajak sawah memohon panen yang baik.",
        ("Desa Alasmalang", "Desa Alasmalang, Kec. Singojuruh"),
        -60,
        8,
        6,
        False,
        0,
    ),
    (
        "festival-ngopi-sepuluh-ewu",
        "kuliner",
        "Festival Ngopi Sepuluh Ewu",
        "Ten Thousand Cups of Coffee Festival",
        "Warga Kemiren menyuguhkan kopi Osing gratis di depan rumah sepanjang jalan desa.",
        "desa-adat-kemiren",
        12,
        18,
        5,
        False,
        0,
    ),
    (
        "festival-pantai-pulau-merah",
        "festival",
        "Festival Pantai Pulau Merah",
        "",
        "Lomba selancar, pentas seni dan pasar kuliner pesisir di Pulau Merah.",
        "pantai-pulau-merah",
        26,
        9,
        9,
        False,
        10000,
    ),
]


SUMMARIES_EN = {
    "banyuwangi-ethno-carnival": "A carnival of Osing ethnic costume along Banyuwangi's main streets.",
    "festival-gandrung-sewu": "More than a thousand gandrung dancers dance together on the shore of the Bali Strait.",
    "tour-de-banyuwangi-ijen": "An international four-stage cycling race, finishing on the climb to the Ijen crater.",
    "festival-ngopi-sepuluh-ewu": "Kemiren serves free Osing coffee in front of its houses all along the village road.",
}


def _picture(seed: int) -> bytes:
    """A small drawn landscape (sky, a mountain or the sea), so that the demo has photos to resize."""
    width, height = 960, 600
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    sky = [(40, 90, 160), (230, 120, 60), (20, 110, 90), (120, 70, 40), (60, 130, 70)][seed % 5]
    for y in range(height):
        shade = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(c + (255 - c) * shade * 0.5) for c in sky))
    peak = 150 + 40 * seed
    draw.polygon(
        [(0, 520), (width // 2 - 120 + seed * 30, peak), (width, 500), (width, height), (0, height)], fill=(30, 60, 40)
    )
    draw.rectangle([0, 540, width, height], fill=(20, 80, 120))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def _area(region, name: str):
    return (
        Area.objects.filter(region=region, name__iexact=name).order_by("-level").first()
        or Area.objects.filter(region=region, name__iexact=f"Desa {name}").first()
    )


def _destinations(actor: Actor, region) -> dict[str, Destination]:
    made = {}
    for seed, (slug, kind, name, name_en, summary, summary_en, area, lat, lon, ticket, featured) in enumerate(
        DESTINATIONS
    ):
        destination = services.destination_create(
            actor=actor,
            region=region,
            slug=slug,
            kind=kind,
            name=name,
            name_en=name_en if summary_en else "",
            summary=summary,
            summary_en=summary_en,
            description=f"{summary}\n\nInformasi lengkap tersedia di pusat informasi pariwisata setempat.",
            description_en=(
                f"{summary_en}\n\nThe local tourist information centre has the details." if summary_en else ""
            ),
            opening_hours="Setiap hari 07.00–17.00" if slug != "kawah-ijen" else "Setiap hari 01.00–12.00",
            opening_hours_en="Daily 07:00–17:00" if slug != "kawah-ijen" else "Daily 01:00–12:00",
            ticket_price=ticket,
            tickets="Tiket dibeli di loket." if ticket else "",
            accessibility="Jalur tanah dan berbatu; tidak ada jalur kursi roda."
            if kind == "alam"
            else "Jalan desa rata.",
            wheelchair=kind == "desa-wisata",
            area=_area(region, area),
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            is_featured=featured,
            is_published=True,
        )
        if seed < 3:
            services.photo_add(
                actor=actor,
                destination=destination,
                data=_picture(seed),
                alt=f"Gambar ilustrasi pemandangan {name}",
                alt_en=f"Illustration of the landscape of {name_en or name}",
                credit="Ilustrasi demo Gerai",
            )
        made[slug] = destination
    return made


def _events(actor: Actor, region, places: dict[str, Destination]) -> None:
    today = timezone.localtime(timezone.now(), region.zone).date()
    for slug, category, title, title_en, summary, venue, days, hour, hours, yearly, price in EVENTS:
        day = today + dt.timedelta(days=days - (365 if yearly else 0))
        starts = dt.datetime.combine(day, dt.time(hour), tzinfo=region.zone)
        where = (
            {"destination": places[venue]}
            if isinstance(venue, str)
            else {"venue_name": venue[0], "venue_address": venue[1]}
        )
        services.event_create(
            actor=actor,
            region=region,
            slug=slug,
            category=category,
            title=title,
            title_en=title_en,
            summary=summary,
            summary_en=SUMMARIES_EN.get(slug, ""),
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=hours),
            recurrence=Event.Recurrence.YEARLY if yearly else Event.Recurrence.NONE,
            organiser="Dinas Kebudayaan dan Pariwisata Kabupaten Banyuwangi",
            price=price,
            is_published=True,
            **where,
        )


def load_demo(role_model, adopter, actor: Actor | None = None) -> None:
    """Banyuwangi's destinations and festival calendar; Seruyan, the adopter, starts with one destination."""
    actor = actor or Actor.system()
    places = _destinations(actor, role_model)
    _events(actor, role_model, places)
    services.destination_create(
        actor=actor,
        region=adopter,
        slug="danau-sembuluh",
        kind="alam",
        name="Danau Sembuluh",
        summary="Danau terluas di Kalimantan Tengah, dengan desa nelayan di tepinya.",
        description="Danau terluas di Kalimantan Tengah, dengan desa nelayan di tepinya.",
        is_published=True,
    )
