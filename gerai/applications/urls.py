from django.urls import path

from gerai.applications import letter_views, views

app_name = "applications"
urlpatterns = [
    path("layanan/<slug:service_slug>/ajukan/", views.start, name="start"),
    path("lacak/", views.track, name="track"),
    path("permohonan/", views.mine, name="mine"),
    path("permohonan/klaim/", views.claim, name="claim"),
    path("permohonan/<str:ref>/", views.detail, name="detail"),
    path("permohonan/<str:ref>/isi/<int:page>/", views.question_page, name="page"),
    path("permohonan/<str:ref>/dokumen/", views.documents, name="documents"),
    path("permohonan/<str:ref>/periksa/", views.check_answers, name="check"),
    path("permohonan/<str:ref>/batal/", views.cancel, name="cancel"),
    path("permohonan/<str:ref>/kirim-ulang/", views.resubmit, name="resubmit"),
    path("permohonan/<str:ref>/berkas/<int:doc>/", views.document_download, name="document"),
    path("permohonan/<str:ref>/surat/<str:code>/", letter_views.citizen_download, name="letter"),
    path("kantor/", views.queue, name="queue"),
    path("kantor/loket/", views.counter, name="counter"),
    path("kantor/loket/<str:ref>/persetujuan/", views.counter_consent, name="counter_consent"),
    path("kantor/loket/<str:ref>/formulir/", views.counter_consent_form, name="counter_consent_form"),
    path("kantor/loket/<str:ref>/tanda-terima/", views.counter_receipt, name="counter_receipt"),
    path("kantor/tugaskan/", views.bulk_assign, name="bulk_assign"),
    path("kantor/permohonan/<str:ref>/", views.staff_detail, name="staff_detail"),
    path("kantor/permohonan/<str:ref>/aksi/", views.staff_action, name="staff_action"),
    path("kantor/permohonan/<str:ref>/berkas/<int:doc>/", views.staff_document, name="staff_document"),
    path("kantor/permohonan/<str:ref>/surat/<str:code>/", letter_views.staff_download, name="staff_letter"),
    path("kantor/permohonan/<str:ref>/surat/<str:code>/<str:how>/", letter_views.staff_end, name="staff_letter_end"),
]
