from django.urls import path

from wellbeing.views import campaigns, comments, ideas, manage, report

app_name = "wellbeing"

urlpatterns = [
    # Staff: campaigns, ideas, votes, comments (wellbeing/views/{campaigns,ideas,comments}.py)
    path("ideas/", campaigns.campaign_list, name="campaign_list"),
    path("ideas/mine/", ideas.my_ideas, name="my_ideas"),
    # Before the campaign slug, which would otherwise take "new".
    path("ideas/campaigns/new/", manage.campaign_new, name="campaign_new"),
    path("ideas/campaigns/<slug:campaign_slug>/", campaigns.campaign_detail, name="campaign"),
    path("ideas/campaigns/<slug:campaign_slug>/new/", ideas.idea_new, name="idea_new"),
    path("ideas/<uuid:idea_id>/", ideas.idea_detail, name="idea"),
    path("ideas/<uuid:idea_id>/draft/", ideas.draft_edit, name="draft_edit"),
    path("ideas/<uuid:idea_id>/discard/", ideas.draft_discard, name="draft_discard"),
    path("ideas/<uuid:idea_id>/vote/", ideas.vote, name="vote"),
    path("ideas/<uuid:idea_id>/follow/", ideas.follow, name="follow"),
    path("ideas/<uuid:idea_id>/comments/", comments.comment_post, name="comment_post"),
    path("ideas/comments/<uuid:comment_id>/edit/", comments.comment_edit, name="comment_edit"),
    path("ideas/comments/<uuid:comment_id>/flag/", comments.comment_flag, name="comment_flag"),
    path("ideas/attachments/<uuid:attachment_id>/", ideas.attachment_download, name="attachment"),
    path(
        "ideas/attachments/<uuid:attachment_id>/remove/",
        ideas.attachment_remove,
        name="attachment_remove",
    ),
    # Programme admins: campaigns, review, moderation, promotion (wellbeing/views/manage.py)
    path("ideas/campaigns/<slug:campaign_slug>/edit/", manage.campaign_edit, name="campaign_edit"),
    path(
        "ideas/campaigns/<slug:campaign_slug>/moderation/",
        manage.moderation_queue,
        name="moderation",
    ),
    path(
        "ideas/comments/<uuid:comment_id>/moderate/",
        manage.comment_moderate,
        name="comment_moderate",
    ),
    path("ideas/<uuid:idea_id>/review/", manage.idea_review, name="idea_review"),
    path("ideas/<uuid:idea_id>/merge/", manage.idea_merge, name="idea_merge"),
    path("ideas/<uuid:idea_id>/promote/", manage.idea_promote, name="idea_promote"),
    # The campaign report (wellbeing/views/report.py)
    path("ideas/campaigns/<slug:campaign_slug>/report/", report.campaign_report, name="report"),
    path(
        "ideas/campaigns/<slug:campaign_slug>/report.csv",
        report.campaign_report_csv,
        name="report_csv",
    ),
]
