from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    """Joint procurement on a common specification (issue: joint procurement)."""

    name = "procurement"
    verbose_name = "Joint procurement"

    def ready(self) -> None:
        from procurement import permissions  # noqa: F401  registers the rules
