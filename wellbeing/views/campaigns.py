"""Staff pages of campaigns: the campaigns a person can take part in, and a campaign's ideas."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wellbeing.forms import IdeaFilterForm
from wellbeing.models import IdeaStatus
from wellbeing.selectors import (
    IDEA_SORTS,
    campaign_trusts,
    campaigns_visible_to,
    get_campaign_for_user,
    idea_list,
    idea_list_paginator,
)

IDEAS_PER_PAGE = 20


@require_http_methods(["GET"])
@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Campaigns open now first, then those opening soon, then past ones."""
    today = timezone.localdate()
    campaigns = list(
        campaigns_visible_to(request.user)
        .select_related("collaboration")
        .annotate(idea_total=Count("ideas", filter=~Q(ideas__status=IdeaStatus.DRAFT)))
        .order_by("-opens_on", "title")
    )
    user = request.user
    return render(
        request,
        "wellbeing/campaign_list.html",
        {
            "open_campaigns": [c for c in campaigns if c.opens_on <= today <= c.closes_on],
            "upcoming_campaigns": [c for c in campaigns if c.opens_on > today],
            "past_campaigns": [c for c in campaigns if c.closes_on < today],
            "can_take_part": bool(campaigns) and user.has_perm("wellbeing.take_part", campaigns[0]),
            "can_start_campaign": user.is_site_admin or bool(user.administered_collaboration_ids),
        },
    )


@require_http_methods(["GET"])
@login_required
def campaign_detail(request: HttpRequest, campaign_slug: str) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_slug)
    user = request.user
    themes = list(campaign.themes.all())
    form = IdeaFilterForm(
        request.GET or None, themes=themes, trusts=list(campaign_trusts(campaign))
    )
    filters = form.filters()
    ideas = idea_list(user, campaign, **filters)
    paginator = idea_list_paginator(ideas, campaign, filters, IDEAS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    is_moderator = user.has_perm("wellbeing.moderate_campaign", campaign)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "wellbeing/campaign_detail.html",
        {
            "campaign": campaign,
            "themes": themes,
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
            "query": query.urlencode(),
            "sort_label": IDEA_SORTS.get(filters.get("sort", "votes")),
            "sort": filters.get("sort", "votes"),
            "is_moderator": is_moderator,
            "can_take_part": user.has_perm("wellbeing.take_part", campaign),
            "accepts_ideas": campaign.accepts_ideas(),
            "today": timezone.localdate(),
        },
        status=status,
    )
