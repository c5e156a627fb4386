"""Indonesian text with optional English beside it. An English visitor reads the English text when the main
fields have been translated; otherwise the Indonesian text, marked lang="id", with a note saying so."""

from dataclasses import dataclass, field

#: the translatable fields of each model; the first three (those written in Indonesian) decide whether the
#: English version exists
FIELDS = {
    "destination": ("name", "summary", "description", "opening_hours", "tickets", "accessibility"),
    "event": ("title", "summary", "description", "price_note"),
}


@dataclass
class Texts:
    lang: str  # the language of the text shown: "id" or "en"
    fallback: bool  # English was asked for, and the text is Indonesian
    values: dict = field(default_factory=dict)
    langs: dict = field(default_factory=dict)  # each field's own language: an untranslated one stays Indonesian

    def __getattr__(self, name: str):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None


def texts(obj, language: str) -> Texts:
    names = FIELDS[obj._meta.model_name]
    indonesian = {name: getattr(obj, name) for name in names}
    all_indonesian = dict.fromkeys(names, "id")
    if not (language or "id").startswith("en"):
        return Texts("id", False, indonesian, all_indonesian)
    if not all(getattr(obj, f"{name}_en", "") or not indonesian[name] for name in names[:3]):
        return Texts("id", True, indonesian, all_indonesian)
    english = {name: getattr(obj, f"{name}_en", "") for name in names}
    return Texts(
        "en",
        False,
        {name: english[name] or indonesian[name] for name in names},
        {name: "en" if english[name] else "id" for name in names},
    )


def alt_text(photo, language: str) -> str:
    return photo.alt_en if alt_language(photo, language) == "en" else photo.alt


def alt_language(photo, language: str) -> str:
    """The language of the photo's alt text as shown: English when asked for and written, else Indonesian."""
    return "en" if (language or "").startswith("en") and photo.alt_en else "id"
