from django.conf import settings

from gerai.core.models import demo_loaded


def platform(request):
    return {
        "LANGUAGES": settings.LANGUAGES,
        "DEMO_MODE": demo_loaded(),
        "region": getattr(request, "region", None),
    }
