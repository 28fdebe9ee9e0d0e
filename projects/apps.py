from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Joint projects: opt-in windows, participations, commitments (issue: joint projects)."""

    name = "projects"
    verbose_name = "Joint projects"
