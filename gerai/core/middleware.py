from functools import wraps

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils import translation

from gerai.core.views import ERROR_PAGES, error_page


class LanguageMiddleware:
    """Bahasa Indonesia unless the visitor chose English (cookie). The browser's Accept-Language
    is ignored on purpose: many Indonesian phones are set to English, yet the services are Indonesian."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.allowed = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in self.allowed:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response


class ErrorPageMiddleware:
    """An empty 4xx answer (require_POST's 405, a bare 429) becomes a real, translated page in the layout, keeping
    its headers (Allow, Retry-After). Answers that have a body of their own, such as the API's JSON errors, are
    left as they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code not in ERROR_PAGES or response.streaming or response.content:
            return response
        page = error_page(request, response.status_code)
        for header in ("Allow", "Retry-After"):
            if header in response:
                page[header] = response[header]
        return page


COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/javascript", "image/svg+xml")


def never_compress(view):
    """Mark a view whose answer holds a secret that is not masked per request (a TOTP secret, a one-time code),
    so that CompressionMiddleware leaves it uncompressed (BREACH)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.gerai_never_compress = True
        return response

    return wrapper


class CompressionMiddleware(GZipMiddleware):
    """gzip for the pages of visitors who are not signed in, except views marked never_compress.

    BREACH guesses a secret in a compressed page from the page's size, while the attacker makes the victim's
    browser ask for the page with guesses in it (every page reflects its query string). So only pages without
    secrets are compressed: Django masks the CSRF token anew on every answer; public pages carry no personal
    data; a signed-in visitor's pages (full NIK on their own check page and on the officer's, addresses, new API
    tokens) are never compressed; the few signed-out pages with a secret (two-step sign-in setup and code) are
    marked. GZipMiddleware also adds up to 100 random bytes to each answer (Heal The Breach)."""

    def process_response(self, request, response):
        if getattr(response, "gerai_never_compress", False):
            return response
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated:
            return response
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
