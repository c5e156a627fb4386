from django.core.management.base import BaseCommand

from gerai.core.models import demo_loaded


class Command(BaseCommand):
    help = (
        "Load the demo platform (Banyuwangi and Seruyan, services, demo accounts, a few handled complaint reports) "
        "and a synthetic history for the transparency pages. Does nothing if loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-history", action="store_true", help="skip the synthetic history")

    def handle(self, *, no_history: bool = False, **options):
        from gerai.complaints.demo import demo_reports
        from gerai.dashboards.demo import demo_history
        from gerai.demo.build import DEMO_PASSWORD, load_demo
        from gerai.regions.models import Region

        if demo_loaded():
            self.stdout.write("Demo already loaded.")
            return
        people = load_demo()
        self.stdout.write(f"Demo loaded: {len(people)} accounts, password {DEMO_PASSWORD!r} (see README).")
        for slug in ("banyuwangi", "seruyan"):  # through the services, before the history's rollup rebuild
            states = demo_reports(Region.objects.get(slug=slug))
            self.stdout.write(f"Reports for {slug}: {sum(states.values())} handled ({states}).")
        if no_history:
            return
        for slug, size in (("banyuwangi", 25), ("seruyan", 6)):
            counts = demo_history(Region.objects.get(slug=slug), per_service_month=size)
            self.stdout.write(
                f"History for {slug}: {counts.get('applications', 0)} closed applications, "
                f"{counts.get('surveys', 0)} survey answers, {counts.get('reports', 0)} complaints (synthetic)."
            )
