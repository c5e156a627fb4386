from django.urls import path

from gerai.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.region_home, name="region_home"),
    path("tema.css", views.theme_css, name="theme_css"),
    path("layanan/", views.catalog, name="catalog"),
    path("layanan/<slug:service_slug>/", views.service_detail, name="service_detail"),
    path("kantor/layanan/", views.admin_services, name="admin_services"),
    path("kantor/kategori-layanan/", views.admin_categories, name="admin_categories"),
    path("kantor/layanan/adopsi/", views.admin_copy, name="admin_copy"),
    path("kantor/layanan/adopsi/<int:pk>/", views.admin_adopt, name="admin_adopt"),
    path("kantor/layanan/baru/", views.admin_service_new, name="admin_service_new"),
    path("kantor/layanan/<slug:service_slug>/hulu/", views.admin_upstream, name="admin_upstream"),
    path("kantor/layanan/<slug:service_slug>/", views.admin_service_edit, name="admin_service_edit"),
    path("kantor/layanan/<slug:service_slug>/<str:part>/", views.admin_service_parts, name="admin_service_parts"),
]
