from django.conf import settings
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

