from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    """Staff ideas: campaigns, themes, votes and comments (issue: staff ideas)."""

    name = "wellbeing"
    verbose_name = "Staff ideas"
