from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo platform (Banyuwangi and Seruyan), built through every app's services: the top of the layers,
    beside the faces, so that no app below imports it."""

    name = "gerai.demo"
    label = "demo"
