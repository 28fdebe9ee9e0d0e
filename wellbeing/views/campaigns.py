"""Staff pages of campaigns: the campaigns a person can take part in, and a campaign's ideas."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods

from collab.page_cache import IDEAS, CachedPart, cached_value, cached_values, with_csrf_token
from collab.page_header import page_header_part
from wellbeing.forms import IdeaFilterForm
from wellbeing.models import Campaign, IdeaStatus
from wellbeing.selectors import (
    IDEA_SORTS,
    campaigns_visible_to,
    get_campaign_listing_for_user,
    idea_list,
    idea_list_paginator,
    ideas_voted_by,
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
    listing = get_campaign_listing_for_user(request.user, campaign_slug)
    campaign, themes = listing.campaign, listing.themes
    user = request.user
    form = IdeaFilterForm(request.GET or None, themes=themes, trusts=listing.trusts)
    filters = form.filters()
    sort = filters.get("sort", "votes")
    context = {
        "campaign": campaign,
        "themes": themes,
        "form": form,
        "sort_label": IDEA_SORTS.get(sort),
        "sort": sort,
        "is_moderator": user.has_perm("wellbeing.moderate_campaign", campaign),
        "can_take_part": user.has_perm("wellbeing.take_part", campaign),
        "accepts_ideas": campaign.accepts_ideas(),
        "today": timezone.localdate(),
    }
    context["portal_header"], context["ideas_part"] = _header_and_ideas(
        request, campaign, filters, context
    )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "wellbeing/campaign_detail.html", context, status=status)


def _header_and_ideas(
    request: HttpRequest, campaign: Campaign, filters: dict, context: dict
) -> tuple[SafeString, SafeString]:
    """The page's header and its list of ideas, from the cache unless the campaign's ideas
    changed since: both in one round trip to Redis (issue 7).

    Everyone who opens the same list shares it, unless they wrote or voted for an idea on it
    ("From you", "including yours"): a first lookup gives the page's ideas and their authors,
    one query the person's votes among them, and the list is cached under both. A search or
    the trending sort (which moves as votes age) is not cached."""
    user = request.user
    built: dict[str, Page] = {}

    def page() -> Page:
        if "page" not in built:
            ideas = idea_list(user, campaign, **filters)
            paginator = idea_list_paginator(ideas, campaign, filters, IDEAS_PER_PAGE)
            built["page"] = paginator.get_page(request.GET.get("page"))
        return built["page"]

    cacheable = not filters.get("search") and context["sort"] != "trending"
    listing = (campaign.pk, request.GET.urlencode(), timezone.localdate())
    if cacheable:
        authors = cached_value(
            IDEAS, "idea-list-authors", listing, lambda: [(i.pk, i.author_id) for i in page()]
        )
    else:
        authors = [(idea.pk, idea.author_id) for idea in page()]
    mine = {pk for pk, author_id in authors if author_id == user.pk}
    voted = ideas_voted_by(user, [pk for pk, _ in authors])

    def render_part() -> str:
        query = request.GET.copy()
        query.pop("page", None)
        listed = page()
        return render_to_string(
            "wellbeing/includes/campaign_ideas.html",
            {
                **context,
                "page": listed,
                "page_range": listed.paginator.get_elided_page_range(
                    listed.number, on_each_side=1, on_ends=1
                ),
                "query": query.urlencode(),
                "mine": mine,
                "voted": voted,
            },
        )

    header_part = page_header_part(request)
    if not cacheable:
        [header] = cached_values([header_part])
        return with_csrf_token(header, request), mark_safe(render_part())  # noqa: S308
    viewer = (
        context["is_moderator"],
        context["can_take_part"],
        context["accepts_ideas"],
        tuple(sorted(mine)),
        tuple(sorted(voted)),
    )
    ideas_part = CachedPart(IDEAS, "idea-list", (*listing, *viewer), render_part)
    header, ideas = cached_values([header_part, ideas_part])
    return with_csrf_token(header, request), mark_safe(ideas)  # noqa: S308 - our template
