from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gerai.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one encrypted backup: a consistent copy of the database (SQLite's online backup, or pg_dump), "
        "the uploaded and issued files, the signing keys and the audit witness, with a manifest of checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.VAR_DIR) / "backups"), help="directory to write to")
        parser.add_argument("--keep", type=int, default=0, help="delete all but the newest N backups there")

    def handle(self, *args, out: str, keep: int, **options):
        try:
            path, manifest = backup(Path(out))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest.counts.values())
        self.stdout.write(f"{path}: {rows} rows in {len(manifest.counts)} tables, {len(manifest.files)} files")
        if keep > 0:
            for old in sorted(Path(out).glob("gerai-*.backup"))[:-keep]:
                old.unlink()
