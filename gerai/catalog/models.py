from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gerai.lib.files import KINDS
from gerai.lib.money import format_rupiah

#: The 14 components of a standar pelayanan (UU 25/2009 Pasal 21; PermenPANRB 15/2014), in order:
#: six on service delivery, eight on its management. (field name, label)
STANDARD_DELIVERY = [
    ("std_requirements", _("Requirements")),
    ("std_procedure", _("System, mechanism and procedure")),
    ("std_duration", _("Time to complete")),
    ("std_fee", _("Cost/fee")),
    ("std_product", _("Service product")),
    ("std_complaints", _("Handling of complaints, suggestions and feedback")),
]
STANDARD_MANAGEMENT = [
    ("std_legal_basis", _("Legal basis")),
    ("std_facilities", _("Facilities, infrastructure and/or equipment")),
    ("std_competence", _("Competence of the staff")),
    ("std_supervision", _("Internal supervision")),
    ("std_staff_count", _("Number of staff")),
    ("std_guarantee", _("Service guarantee")),
    ("std_security", _("Security and safety guarantee")),
    ("std_evaluation", _("Evaluation of staff performance")),
]
STANDARD_COMPONENTS = STANDARD_DELIVERY + STANDARD_MANAGEMENT


#: The platform's service categories, (code, name), until a region names its own (ServiceCategory).
DEFAULT_CATEGORIES = [
    ("kependudukan", _("Population documents")),
    ("perizinan", _("Permits")),
    ("surat", _("Letters and certificates")),
    ("kesehatan", _("Health")),
    ("sosial", _("Social services")),
]


class ServiceCategory(models.Model):
    """A heading of a region's catalog. A region without any uses DEFAULT_CATEGORIES; the first change an
    admin makes copies those in (catalog.services.category_save), so that the region's list is its own.
    Services name their category by `code`, which versions and adoptions carry from region to region."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="service_categories")
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="servicecategory_unique_code")]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A public service in a region's catalog, with its published standard, form and workflow."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="services")
    slug = models.SlugField(max_length=80)
    name = models.CharField(_("name"), max_length=150)
    summary = models.CharField(_("summary"), max_length=300)
    # the code of one of the region's categories (catalog.selectors.categories_of_region)
    category = models.CharField(_("category"), max_length=20)
    owner_agency = models.ForeignKey("regions.Agency", on_delete=models.PROTECT, related_name="owned_services")
    fee_rupiah = models.PositiveIntegerField(_("fee (rupiah)"), default=0)
    sla_working_days = models.PositiveSmallIntegerField(_("time to complete (working days)"))
    output_document = models.CharField(_("document issued"), max_length=150, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    # Versions and lineage: the version citizens file under now, and (for an adopted service) the version of the
    # source it was adopted from or last brought up to date with (the base of the three-way comparison).
    current_version = models.ForeignKey(
        "ServiceVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    upstream_version = models.ForeignKey(
        "ServiceVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="adoptions"
    )
    # The standar pelayanan (see STANDARD_COMPONENTS); std_duration and std_fee are derived when blank.
    std_requirements = models.TextField(blank=True)
    std_procedure = models.TextField(blank=True)
    std_duration = models.TextField(blank=True)
    std_fee = models.TextField(blank=True)
    std_product = models.TextField(blank=True)
    std_complaints = models.TextField(blank=True)
    std_legal_basis = models.TextField(blank=True)
    std_facilities = models.TextField(blank=True)
    std_competence = models.TextField(blank=True)
    std_supervision = models.TextField(blank=True)
    std_staff_count = models.TextField(blank=True)
    std_guarantee = models.TextField(blank=True)
    std_security = models.TextField(blank=True)
    std_evaluation = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "slug"], name="service_unique_slug")]

    def __str__(self) -> str:
        return self.name

    @property
    def fee_display(self) -> str:
        return format_rupiah(self.fee_rupiah)


PERSONAL_KINDS = ("nik", "phone")


class FormField(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        LONG_TEXT = "long_text", _("long text")
        NUMBER = "number", _("number")
        DATE = "date", _("date")
        CHOICE = "choice", _("choice")
        MULTI_CHOICE = "multi_choice", _("multiple choice")
        NIK = "nik", _("NIK")
        PHONE = "phone", _("phone number")
        DESA = "desa", _("desa/kelurahan of this region")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fields")
    page = models.PositiveSmallIntegerField(_("question page"), default=1)
    page_title = models.CharField(_("page heading"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(max_length=40)
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(max_length=15, choices=Kind.choices)
    required = models.BooleanField(default=True)
    help_text = models.CharField(max_length=300, blank=True)
    choices = models.JSONField(default=list, blank=True)  # [[value, label], ...]
    min_value = models.IntegerField(null=True, blank=True)  # number: value; text: length
    max_value = models.IntegerField(null=True, blank=True)
    personal = models.BooleanField(
        _("personal data (stored encrypted)"),
        default=False,
        help_text=_("NIK and phone answers are always stored encrypted; tick for any other personal answer."),
    )

    class Meta:
        ordering = ["page", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["service", "key"], name="formfield_unique_key")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_personal(self) -> bool:
        """Whether its answers are stored encrypted (UU PDP): NIKs and phone numbers always, else as marked."""
        return self.personal or self.kind in PERSONAL_KINDS


class DocumentRequirement(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(max_length=40)
    label = models.CharField(_("document"), max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    allowed_types = models.JSONField(default=list)  # subset of lib.files.KINDS: ["pdf", "jpg", "png"]
    max_size_kb = models.PositiveIntegerField(default=2048)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["service", "key"], name="docreq_unique_key")]

    def __str__(self) -> str:
        return self.label

    @property
    def accept_attr(self) -> str:
        return ",".join(end for kind in self.allowed_types for end in KINDS[kind][1])


class WorkflowStep(models.Model):
    """One step of a service's workflow, owned by an agency and a role."""

    class Routing(models.TextChoices):
        FIXED = "fixed", _("a fixed agency")
        DESA = "desa", _("the office of the applicant's desa/kelurahan")
        KECAMATAN = "kecamatan", _("the office of the applicant's kecamatan")

    class Action(models.TextChoices):
        VERIFY = "verify", _("verify")
        APPROVE = "approve", _("approve")
        SIGN = "sign", _("sign and issue")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("step"), max_length=150)
    routing = models.CharField(max_length=10, choices=Routing.choices, default=Routing.FIXED)
    agency = models.ForeignKey("regions.Agency", null=True, blank=True, on_delete=models.PROTECT)
    role = models.CharField(max_length=12, default="officer")  # StaffRole.Role: officer | supervisor
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.VERIFY)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["service", "order"], name="step_unique_order")]

    def __str__(self) -> str:
        return self.name


class ServiceVersion(models.Model):
    """A published state of a service: its standard, form, documents and workflow as one snapshot. Written once
    when the service is published (or changed while published), never changed after: an application records the
    version it was filed under, and an adopter's three-way comparison reads its base from here."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    # for an adopted service: the source's version this one was based on (lineage)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["service", "-number"]
        constraints = [models.UniqueConstraint(fields=["service", "number"], name="service_version_unique")]

    def __str__(self) -> str:
        return f"{self.service_id} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("a service version is immutable")
        super().save(*args, **kwargs)
