"""A region's innovation library in the shape the Kemendagri index (IID) asks for, its candidates for adoption
(with lineage to the innovation they copy), the evidence behind its IID self-score, and the saved versions of its
adoption roadmap."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerai.lib.codes import random_symbols

#: the figures Gerai measures live, which an innovation may say it moves (dashboards computes them)
INDICATORS = {
    "ikm": _("Satisfaction index (IKM)"),
    "sla": _("Share completed within the standard time"),
    "online": _("Applications filed online"),
    "complaints": _("Complaints settled"),
}

#: the goals a region weighs its roadmap by; an innovation scores 0–10 on each
GOALS = {
    "ikm": _("Public satisfaction (IKM)"),
    "spbe": _("Digital government (SPBE)"),
    "poverty": _("Poverty reduction"),
    "pad": _("Own-source revenue (PAD)"),
    "health": _("Health"),
    "economy": _("Local economy and tourism"),
}


def _code() -> str:
    return random_symbols(10).lower()


class Innovation(models.Model):
    """One entry: the region's own innovation (in its public library) or a candidate it plans to adopt."""

    class Kind(models.TextChoices):
        OWN = "own", _("In the library")
        CANDIDATE = "candidate", _("Candidate for adoption")

    class Form(models.TextChoices):
        GOVERNANCE = "tata_kelola", _("Regional governance")
        PUBLIC_SERVICE = "pelayanan_publik", _("Public service")
        OTHER = "urusan_lain", _("Another regional affair")

    class Stage(models.TextChoices):
        INITIATIVE = "inisiatif", _("Initiative")
        TRIAL = "uji_coba", _("Trial")
        APPLIED = "penerapan", _("Applied")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="innovations")
    code = models.CharField(max_length=20, unique=True, default=_code)  # in addresses, never the integer key
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OWN)
    name = models.CharField(_("name"), max_length=150)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    affair = models.CharField(_("regional affair (urusan)"), max_length=100, blank=True)
    is_digital = models.BooleanField(_("digital"), default=False)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.INITIATIVE)
    started_on = models.DateField(_("start date"), null=True, blank=True)
    problem = models.TextField(_("the problem"), blank=True)
    approach = models.TextField(_("the approach"), blank=True)
    benefit = models.TextField(_("the benefit"), blank=True)
    indicators = models.JSONField(_("live figures it moves"), default=list, blank=True)  # keys of INDICATORS
    goal_scores = models.JSONField(_("benefit per goal (0–10)"), default=dict, blank=True)  # {goal: 0..10}
    services = models.ManyToManyField("catalog.Service", blank=True, related_name="innovations")
    # Costs are estimates, always shown as such, with where they come from.
    capex_rupiah = models.PositiveBigIntegerField(_("one-off cost in the first year (estimate, rupiah)"), default=0)
    opex_rupiah = models.PositiveBigIntegerField(_("yearly cost (estimate, rupiah)"), default=0)
    cost_source = models.CharField(_("source of the cost estimate"), max_length=200, blank=True)
    staff_needed = models.PositiveSmallIntegerField(_("staff needed"), default=0)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="enables", verbose_name=_("prerequisite innovations")
    )
    infrastructure = models.CharField(_("infrastructure needed"), max_length=300, blank=True)
    excludes = models.ManyToManyField("self", symmetrical=True, blank=True, verbose_name=_("cannot go with"))
    must = models.BooleanField(_("must be in the plan"), default=False)
    adopted_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
        verbose_name=_("adopted from"),
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["region", "kind"], name="innovation_region_kind")]
        constraints = [  # a region adopts an innovation once, even from two tabs at the same moment
            models.UniqueConstraint(
                fields=["region", "adopted_from"],
                condition=models.Q(adopted_from__isnull=False),
                name="innovation_adopted_once",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def indicator_labels(self) -> list[str]:
        return [str(INDICATORS[key]) for key in self.indicators if key in INDICATORS]


class Evidence(models.Model):
    """A document behind an IID indicator: of one innovation (the SID indicators) or of the region itself (the
    SPD indicators, innovation empty). `level` is the parameter (1–3) it proves."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="innovation_evidence")
    innovation = models.ForeignKey(Innovation, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    code = models.CharField(max_length=20, unique=True, default=_code)
    model_year = models.PositiveSmallIntegerField()
    indicator = models.CharField(max_length=40)  # a key of the model year's indicators (gerai/innovation/iid)
    level = models.PositiveSmallIntegerField()  # 1..3
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to="innovation-evidence/%Y/", max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.title}"


class RoadmapPlan(models.Model):
    """One saved version of a region's roadmap: what was asked (years, budgets, staff, goal weights and the
    candidates as they were) and what the solver answered. Never edited: a new solve is a new version."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="roadmap_plans")
    code = models.CharField(max_length=20, unique=True, default=_code)
    version = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=150, blank=True)
    inputs = models.JSONField()  # the solve API's body, plus "weights" and each item's "name"
    result = models.JSONField()  # the solve API's answer, plus "seconds"
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["region", "version"], name="roadmap_plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} v{self.version}"
