"""Demo letter templates and signers: the services that end in a signed letter get a template, each
region a certificate authority of its own, and every supervisor who signs a certificate."""

from gerai.accounts.models import StaffRole
from gerai.core.actors import Actor
from gerai.documents.services import document_template_save, signer_certificate_issue, signing_authority_create

PERSON = """<p>Yang bertanda tangan di bawah ini, {{ penanda_tangan.jabatan }}, menerangkan dengan sebenarnya bahwa:</p>
<table class="data">
<tr><td>Nama</td><td>:</td><td><strong>{{ pemohon.nama }}</strong></td></tr>
<tr><td>NIK</td><td>:</td><td>{{ pemohon.nik }}</td></tr>
<tr><td>Jenis kelamin</td><td>:</td><td>{{ pemohon.jenis_kelamin }}</td></tr>
<tr><td>Tanggal lahir</td><td>:</td><td>{{ pemohon.tempat_tanggal_lahir }}</td></tr>
<tr><td>Alamat</td><td>:</td><td>{{ pemohon.alamat }}, {{ pemohon.desa }}, Kecamatan {{ pemohon.kecamatan }}</td></tr>
</table>
"""
CLOSING = "<p>Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya.</p>"

TEMPLATES = {
    "surat-keterangan-usaha": (
        "Surat Keterangan Usaha",
        "503",
        PERSON
        + """<p>benar-benar menjalankan usaha sebagai berikut:</p>
<table class="data">
<tr><td>Nama usaha</td><td>:</td><td>{{ jawaban.nama_usaha }}</td></tr>
<tr><td>Jenis usaha</td><td>:</td><td>{{ jawaban.jenis_usaha }}</td></tr>
<tr><td>Alamat usaha</td><td>:</td><td>{{ jawaban.alamat_usaha }}</td></tr>
<tr><td>Lama usaha</td><td>:</td><td>{{ jawaban.lama_usaha }} tahun</td></tr>
</table>
"""
        + CLOSING,
    ),
    "surat-domisili": (
        "Surat Keterangan Domisili",
        "470",
        PERSON
        + """<p>benar berdomisili di alamat tersebut selama {{ jawaban.lama_tinggal }} tahun.
Surat keterangan ini diberikan untuk keperluan: <strong>{{ jawaban.keperluan }}</strong>.</p>
"""
        + CLOSING,
    ),
    "pengantar-skck": (
        "Surat Pengantar SKCK",
        "331",
        PERSON
        + """<p>adalah penduduk kami yang berkelakuan baik dan sepanjang pengetahuan kami tidak pernah
tersangkut perkara pidana. Surat pengantar ini diberikan untuk mengurus Surat Keterangan Catatan
Kepolisian (SKCK) dengan keperluan: <strong>{{ jawaban.keperluan }}</strong>.</p>
"""
        + CLOSING,
    ),
}


def load_templates(region) -> None:
    for slug, (title, classification, body) in TEMPLATES.items():
        service = region.services.filter(slug=slug).first()
        if service is not None:
            document_template_save(
                actor=Actor.system(),
                service=service,
                title=title,
                classification=classification,
                paper="F4",
                body=body,
                css="",
            )


def load_signers(region) -> None:
    """A CA for the region and a certificate for each supervisor (the people who sign)."""
    actor = Actor.system()
    signing_authority_create(actor=actor, region=region)
    for role in StaffRole.objects.filter(region=region, role=StaffRole.Role.SUPERVISOR).select_related("user"):
        signer_certificate_issue(actor=actor, user=role.user, region=region, title=role.title)
