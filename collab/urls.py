from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from collab import views

# The Django admin signs people in through allauth, so MFA and rate limits apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Ambulance Collaboration Portal administration"
admin.site.site_title = "Portal admin"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("trusts/<slug:trust_slug>/", views.trust_detail, name="trust_detail"),
    path("trusts/<slug:trust_slug>/invitations/new/", views.invitation_new, name="invitation_new"),
    path(
        "collaborations/<slug:collaboration_slug>/",
        views.collaboration_detail,
        name="collaboration_detail",
    ),
    path("invitations/<uuid:key>/", views.invitation_accept_view, name="invitation_accept"),
    path("invitations/<uuid:key>/revoke/", views.invitation_revoke_view, name="invitation_revoke"),
    path("notifications/", include("collab.notifications.urls")),
    path("", include("projects.urls")),
    path("", include("wellbeing.urls")),
    path("procurement/", include("procurement.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
