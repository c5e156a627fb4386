"""The questionnaire of PermenPANRB 14/2017 (Lampiran): nine elements in the regulation's order, each with
its own question and its own four answer labels, scored 1–4."""

from django.utils.translation import gettext_lazy as _

QUESTIONS = (
    (
        "u1",
        _("How well do the requirements fit the service?"),
        (_("Not suitable"), _("Less suitable"), _("Suitable"), _("Very suitable")),
    ),
    (
        "u2",
        _("How easy is the procedure of the service?"),
        (_("Not easy"), _("Less easy"), _("Easy"), _("Very easy")),
    ),
    (
        "u3",
        _("How fast was the service delivered?"),
        (_("Not fast"), _("Less fast"), _("Fast"), _("Very fast")),
    ),
    (
        "u4",
        _("How fair is the fee of the service?"),
        (_("Very expensive"), _("Rather expensive"), _("Cheap"), _("Free")),
    ),
    (
        "u5",
        _("How well does the result match what the service standard promises?"),
        (_("Does not match"), _("Matches partly"), _("Matches"), _("Matches fully")),
    ),
    (
        "u6",
        _("How competent were the officers?"),
        (_("Not competent"), _("Less competent"), _("Competent"), _("Very competent")),
    ),
    (
        "u7",
        _("How courteous and friendly were the officers?"),
        (_("Not courteous"), _("Less courteous"), _("Courteous and friendly"), _("Very courteous and friendly")),
    ),
    (
        "u8",
        _("How are complaints, suggestions and feedback handled?"),
        (_("There is no way"), _("There is one, but it does not work"), _("It works, not fully"), _("Well managed")),
    ),
    (
        "u9",
        _("How good are the facilities and infrastructure?"),
        (_("Poor"), _("Fair"), _("Good"), _("Very good")),
    ),
)
KEYS = tuple(key for key, _question, _labels in QUESTIONS)
