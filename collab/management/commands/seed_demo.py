"""`manage.py seed_demo`: load the demo trusts, collaborations and accounts (safe to run again)."""

from argparse import ArgumentParser

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from collab.demo_data import DEFAULT_DEMO_PASSWORD, DemoAccount, seed_demo_data
from collab.settings.environment import env_str


class Command(BaseCommand):
    help = (
        "Load every UK ambulance service, the demo collaborations and the demo accounts. "
        "Running it again creates nothing new; it resets the accounts' password to DEMO_PASSWORD."
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
        accounts = seed_demo_data(password=password)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if not quiet:
            self._print_accounts(accounts, password)

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
