"""Demo complaint categories (each owned by an agency) for both regions."""

from gerai.complaints.models import Category

CATEGORIES = [
    # code, name, description, group, agency slug, attributes
    (
        "jalan-rusak",
        "Jalan rusak",
        "Jalan berlubang, amblas atau rusak di jalan kabupaten.",
        "Infrastruktur",
        "pupr",
        [
            {
                "code": "tingkat",
                "description": "Seberapa parah?",
                "datatype": "singlevaluelist",
                "required": False,
                "values": [
                    {"key": "ringan", "name": "Ringan"},
                    {"key": "sedang", "name": "Sedang"},
                    {"key": "berat", "name": "Berat, berbahaya"},
                ],
            }
        ],
    ),
    ("lampu-jalan", "Lampu jalan mati", "Penerangan jalan umum yang padam atau rusak.", "Infrastruktur", "pupr", []),
    ("sampah", "Sampah dan kebersihan", "Sampah menumpuk, TPS penuh, pembuangan liar.", "Lingkungan", "dlh", []),
    (
        "pelayanan-adminduk",
        "Pelayanan adminduk",
        "KTP-el, KK, akta dan layanan kependudukan lainnya.",
        "Pelayanan",
        "dispendukcapil",
        [],
    ),
    (
        "layanan-kesehatan",
        "Layanan kesehatan",
        "Puskesmas, posyandu dan layanan kesehatan daerah.",
        "Pelayanan",
        "dinkes",
        [],
    ),
    ("perizinan", "Perizinan", "Pelayanan perizinan dan non-perizinan di DPMPTSP.", "Pelayanan", "dpmptsp", []),
]


def load_categories(region, agencies: dict) -> None:
    for order, (code, name, description, group, agency, attributes) in enumerate(CATEGORIES):
        Category.objects.create(
            region=region,
            code=code,
            name=name,
            description=description,
            group=group,
            keywords=name.lower(),
            agency=agencies[agency],
            attributes=attributes,
            order=order,
        )
