from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Joint projects: opt-in windows, participations, commitments and benefits."""

    name = "projects"
    verbose_name = "Joint projects"

    def ready(self) -> None:
        from projects import permissions  # noqa: F401  registers the rules
