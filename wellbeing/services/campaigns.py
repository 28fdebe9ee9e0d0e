"""Campaigns and their themes: run by the programme admins (site admins for national ones)."""

import datetime
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from collab.audit import audit_record
from collab.models import Collaboration, User
from wellbeing.errors import CampaignRefused
from wellbeing.models import Campaign, Theme
from wellbeing.permissions import moderates_campaign

CAMPAIGN_FIELDS = (
    "title",
    "question",
    "description",
    "opens_on",
    "closes_on",
    "discussion_closes_on",
    "live_event_at",
    "live_event_minutes",
    "live_event_details",
)


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "campaign"
    slug, n = base, 1
    while Campaign.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _clean_theme_names(themes: list[str]) -> list[str]:
    names = [name.strip() for name in themes if name.strip()]
    seen = set()
    for name in names:
        if name.lower() in seen:
            raise CampaignRefused(f"The theme “{name}” is listed twice.", field="themes")
        seen.add(name.lower())
    return names


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    return {
        field: (
            value.isoformat()
            if isinstance(value := getattr(campaign, field), datetime.date)
            else value
        )
        for field in CAMPAIGN_FIELDS
    } | {"themes": list(campaign.themes.values_list("name", flat=True))}


def campaign_create(
    *, actor: User, collaboration: Collaboration | None, themes: list[str], **fields: Any
) -> Campaign:
    """A campaign for a collaboration, or national (collaboration None, site admins only)."""
    probe = Campaign(collaboration=collaboration)
    if not moderates_campaign(actor, probe):
        raise CampaignRefused(
            "Only the collaboration's programme admins (or site admins, for a national "
            "campaign) can run a campaign.",
            field="collaboration",
        )
    names = _clean_theme_names(themes)
    with transaction.atomic():
        campaign = Campaign(
            collaboration=collaboration,
            created_by=actor,
            slug=_unique_slug(fields.get("title", "")),
            **fields,
        )
        campaign.full_clean()
        campaign.save()
        Theme.objects.bulk_create(
            Theme(campaign=campaign, name=name, position=i) for i, name in enumerate(names)
        )
        audit_record(
            actor=actor, action="campaign.created", target=campaign, after=_snapshot(campaign)
        )
    return campaign


def campaign_update(
    *, campaign: Campaign, actor: User, themes: list[str], **fields: Any
) -> Campaign:
    """Change the dates and words; add themes. A theme with ideas in it cannot be removed."""
    names = _clean_theme_names(themes)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = _snapshot(campaign)
        for field, value in fields.items():
            setattr(campaign, field, value)
        campaign.full_clean()
        campaign.save()
        existing = {theme.name.lower(): theme for theme in campaign.themes.all()}
        wanted = {name.lower() for name in names}
        for key, theme in existing.items():
            if key not in wanted:
                if theme.ideas.exists():
                    raise CampaignRefused(
                        f"The theme “{theme.name}” has ideas in it. Move them to another "
                        "theme first.",
                        field="themes",
                    )
                theme.delete()
        for position, name in enumerate(names):
            theme = existing.get(name.lower())
            if theme is None:
                Theme.objects.create(campaign=campaign, name=name, position=position)
            elif theme.position != position or theme.name != name:
                theme.position, theme.name = position, name
                theme.save(update_fields=["position", "name"])
        audit_record(
            actor=actor,
            action="campaign.updated",
            target=campaign,
            before=before,
            after=_snapshot(campaign),
        )
    return campaign
