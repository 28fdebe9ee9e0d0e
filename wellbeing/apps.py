from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    """Staff ideas: campaigns, themes, ideas, votes, comments and the road to a joint project."""

    name = "wellbeing"
    verbose_name = "Staff ideas"

    def ready(self) -> None:
        from wellbeing import permissions  # noqa: F401  registers the rules
