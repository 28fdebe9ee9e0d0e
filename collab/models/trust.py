from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse


class Nation(models.TextChoices):
    ENGLAND = "england", "England"
    SCOTLAND = "scotland", "Scotland"
    WALES = "wales", "Wales"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


class Trust(models.Model):
    """An NHS ambulance service: the tenant. Everything a trust owns is scoped to it."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=20, unique=True, help_text="For example LAS or SECAmb."
    )
    slug = models.SlugField(max_length=40, unique=True)
    ods_code = models.CharField(
        "NHS ODS code",
        max_length=5,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z0-9]{3,5}$", "Use the 3 to 5 capital letters and digits.")
        ],
    )
    nation = models.CharField(max_length=20, choices=Nation.choices)
    region = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})"

    def get_absolute_url(self) -> str:
        return reverse("trust_detail", kwargs={"trust_slug": self.slug})


class TrustEmailDomain(models.Model):
    """A work email domain that belongs to one trust: it decides where a self sign-up lands."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="email_domains")
    # Unique: a domain must point at one trust, or sign-up could not tell where a person belongs.
    domain = models.CharField(
        max_length=253,
        unique=True,
        validators=[
            RegexValidator(r"^[a-z0-9.-]+\.[a-z]{2,}$", "Enter a domain such as las.nhs.uk.")
        ],
    )

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain
