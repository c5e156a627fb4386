from django.core.management.base import BaseCommand, CommandError

from gerai.dashboards.rollups import rollups_rebuild
from gerai.regions.models import Region


class Command(BaseCommand):
    help = "Recompute the dashboards' monthly rollups from the applications, surveys and reports."

    def add_arguments(self, parser):
        parser.add_argument("regions", nargs="*", help="region slugs (default: every region)")

    def handle(self, *args, regions, **options):
        chosen = Region.objects.filter(slug__in=regions) if regions else Region.objects.all()
        missing = set(regions) - set(chosen.values_list("slug", flat=True))
        if missing:
            raise CommandError(f"unknown region: {', '.join(sorted(missing))}")
        for region in chosen.order_by("slug"):
            counts = rollups_rebuild(region)
            self.stdout.write(f"{region.slug}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
