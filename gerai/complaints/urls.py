from django.urls import path

from gerai.complaints import views

app_name = "complaints"
urlpatterns = [
    path("pengaduan/", views.public_list, name="list"),
    path("pengaduan/baru/", views.file_report, name="file"),
    path("pengaduan/serupa/", views.hints, name="hints"),
    path("pengaduan/<str:code>", views.detail, name="detail"),
    path("pengaduan/<str:code>/aksi/", views.reporter_action, name="reporter_action"),
    path("pengaduan/<str:code>/foto/<int:pk>", views.media, name="media"),
    path("kantor/pengaduan/", views.staff_queue, name="staff_queue"),
    path("kantor/pengaduan/statistik/", views.staff_stats, name="staff_stats"),
    path("kantor/pengaduan/kunci/", views.open311_keys, name="open311_keys"),
    path("kantor/pengaduan/kategori/", views.categories_admin, name="categories_admin"),
    path("kantor/pengaduan/<str:code>/", views.staff_detail, name="staff_detail"),
    path("kantor/pengaduan/<str:code>/aksi/", views.staff_action, name="staff_action"),
    path("kantor/pengaduan/<str:code>/foto/<int:pk>", views.staff_media, name="staff_media"),
]
