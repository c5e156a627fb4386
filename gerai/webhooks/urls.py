from django.urls import path

from gerai.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("kantor/webhook/", views.subscriptions, name="list"),
    path("kantor/webhook/<str:code>/", views.subscription_detail, name="detail"),
]
