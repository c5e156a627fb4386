from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gerai.core.backup import BackupError, restore
from gerai.core.running import PlatformRunning


class Command(BaseCommand):
    help = (
        "Restore a backup written by `backup` over this installation. Refuses while a web or task worker "
        "runs; checks every checksum first; moves the current database (with its -wal and -shm), files and "
        "keys aside; reports the row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the .backup file")
        parser.add_argument("--yes", action="store_true", help="do not ask")

    def handle(self, *args, backup: str, yes: bool, **options):
        source = Path(backup)
        if not source.is_file():
            raise CommandError(f"no such file: {source}")
        if not yes and input(f"Replace this installation's data with {source}? [y/N] ").strip().lower() != "y":
            raise CommandError("not restored")
        try:
            done = restore(source)
        except (BackupError, PlatformRunning) as exc:
            raise CommandError(f"not restored: {exc}") from None
        for table, count in sorted(done.counts.items()):
            if count:
                self.stdout.write(f"  {table}: {count}")
        rows = sum(done.counts.values())
        self.stdout.write(
            f"restored {done.manifest['created']}: {rows} rows in {len(done.counts)} tables, counts match; "
            f"{done.files} files, checksums match; moved aside: {', '.join(done.moved_aside) or 'nothing'}"
        )
