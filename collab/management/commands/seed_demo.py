"""`manage.py seed_demo`: load the demo trusts, collaborations, accounts, joint projects, joint
procurement and ideas campaigns.

Safe to run again: it creates nothing new.
"""

from argparse import ArgumentParser

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from collab.demo_data import DEFAULT_DEMO_PASSWORD, DemoAccount, seed_demo_data
from collab.models import Notification
from collab.page_cache import new_generations
from collab.settings.environment import env_str
from procurement.demo_data import seed_demo_procurement
from procurement.models import ProcurementRound, RequirementStatus, YearQuantity
from projects.demo_data import seed_demo_projects
from projects.models import JointProject
from wellbeing.demo_data import seed_demo_campaigns
from wellbeing.models import Campaign


class Command(BaseCommand):
    help = (
        "Load every UK ambulance service, the demo collaborations, the demo accounts, the "
        "demo joint projects, the demo procurement round and the demo ideas campaigns. "
        "Running it again creates nothing new; it resets the accounts' password to "
        "DEMO_PASSWORD."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--quiet", action="store_true", help="Do not print the demo accounts and password."
        )

    def handle(self, *args, quiet: bool = False, **options) -> None:
        # Demo accounts share a published password; they must never reach a real deployment.
        if not getattr(settings, "PORTAL_DEMO_SEED_ALLOWED", False):
            raise CommandError("Demo data is for the local portal and the tests only.")
        password = env_str("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
        started = timezone.now()
        with transaction.atomic():
            accounts = seed_demo_data(password=password)
            # The projects need the accounts: programme admins and trust leads act in them.
            projects = seed_demo_projects()
            # The joint purchase is a project too, with a procurement round the trusts order in.
            rounds = seed_demo_procurement()
            # The ideas campaigns need both: staff send ideas in, and one becomes a project.
            campaigns = seed_demo_campaigns()
            # The demo's history is built through the services, as of today, before its dates
            # are moved into the past; what they notified would be stale ("decide by today" on
            # a finished project). The demo's notifications come from the reminder sweeps.
            Notification.objects.filter(created_at__gte=started).delete()
        # The demo's dates were moved into the past in bulk, past the audited services.
        new_generations()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(self._project_summary(projects))
        self.stdout.write(self._procurement_summary(rounds))
        self.stdout.write(self._campaign_summary(campaigns))
        if not quiet:
            self._print_accounts(accounts, password)

    @staticmethod
    def _project_summary(projects: list[JointProject]) -> str:
        by_collaboration: dict[str, list[str]] = {}
        for project in projects:
            by_collaboration.setdefault(project.collaboration.short_name, []).append(
                project.get_status_display().lower()
            )
        parts = "; ".join(
            f"{name}: {', '.join(statuses)}" for name, statuses in by_collaboration.items()
        )
        return f"Demo joint projects: {len(projects)} ({parts})."

    @staticmethod
    def _procurement_summary(rounds: list[ProcurementRound]) -> str:
        parts = []
        for round_ in rounds:
            requirements = round_.requirements.all()
            units = YearQuantity.objects.filter(requirement__round=round_).aggregate(
                units=Sum("units")
            )["units"]
            confirmed = requirements.filter(status=RequirementStatus.CONFIRMED).count()
            parts.append(
                f"{round_.title}: {requirements.count()} trusts, {units} vehicles, "
                f"{confirmed} confirmed"
            )
        return f"Demo procurement rounds: {len(rounds)} ({'; '.join(parts)})."

    @staticmethod
    def _campaign_summary(campaigns: list[Campaign]) -> str:
        parts = "; ".join(
            f"{campaign.title}: {campaign.ideas.exclude(status='draft').count()} ideas"
            for campaign in campaigns
        )
        return f"Demo ideas campaigns: {len(campaigns)} ({parts})."

    def _print_accounts(self, accounts: list[DemoAccount], password: str) -> None:
        header = ("Email", "Role", "Trust or collaboration")
        rows = [
            (account.email, demo_role.role.label, demo_role.scope_label)
            for account in accounts
            for demo_role in account.roles
        ]
        widths = [max(len(row[column]) for row in [header, *rows]) for column in range(3)]
        for row in [header, tuple("-" * width for width in widths), *rows]:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        self.stdout.write(f"\nPassword for every demo account: {password}")
