from django.urls import path

from gerai.news import views

app_name = "news"

urlpatterns = [
    path("berita/", views.article_list, name="list"),
    path("berita/feed/", views.feed, name="feed"),
    path("berita/sitemap.xml", views.sitemap, name="sitemap"),
    path("berita/gambar/<str:key>-<int:width>.jpg", views.article_image, name="image"),
    path("berita/<slug:slug>/", views.article_detail, name="detail"),
    path("berita/<slug:slug>/reaksi/", views.article_react, name="react"),
    path("kantor/berita/", views.office_list, name="office_list"),
    path("kantor/berita/baru/", views.office_new, name="office_new"),
    path("kantor/berita/komentar/", views.office_comments, name="office_comments"),
    path("kantor/berita/<str:code>/", views.office_edit, name="office_edit"),
    path("kantor/berita/<str:code>/pratinjau/", views.office_preview, name="office_preview"),
]
