from django.urls import path

from gerai.surveys import views

app_name = "surveys"
urlpatterns = [
    path("survei/<str:token>/", views.answer, name="answer"),
    path("kantor/survei/baru/", views.enter, name="enter"),
    path("kantor/survei/impor/", views.import_file, name="import"),
]
