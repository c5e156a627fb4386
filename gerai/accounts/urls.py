from django.urls import path

from gerai.accounts import views

app_name = "accounts"
urlpatterns = [
    path("daftar/", views.register, name="register"),
    path("daftar/terkirim/", views.register_sent, name="register_sent"),
    path("masuk/", views.login_view, name="login"),
    path("masuk/kode/", views.second_factor, name="second_factor"),
    path("masuk/aktifkan-kode/", views.totp_setup, name="totp_setup"),
    path("keluar/", views.logout_view, name="logout"),
    path("konfirmasi/<str:token>/", views.confirm_email, name="confirm_email"),
    path("undangan/<str:token>/", views.invitation, name="invitation"),
    path("profil/", views.profile, name="profile"),
    path("pemberitahuan/", views.notifications, name="notifications"),
    path("token-api/", views.api_tokens, name="api_tokens"),
    path("data-saya/", views.my_data, name="my_data"),
    path("lupa-sandi/", views.PasswordReset.as_view(), name="password_reset"),
    path("lupa-sandi/terkirim/", views.PasswordResetDone.as_view(), name="password_reset_done"),
    path("atur-sandi/<uidb64>/<token>/", views.PasswordResetConfirm.as_view(), name="password_reset_confirm"),
    path("atur-sandi/selesai/", views.PasswordResetComplete.as_view(), name="password_reset_complete"),
]
