from django.core.management.base import BaseCommand

from gerai.core.models import demo_loaded


class Command(BaseCommand):
    help = "Load the demo platform (Banyuwangi and Seruyan, services, demo accounts). Does nothing if loaded."

    def handle(self, **options):
        from gerai.core.demo import DEMO_PASSWORD, load_demo

        if demo_loaded():
            self.stdout.write("Demo already loaded.")
            return
        people = load_demo()
        self.stdout.write(f"Demo loaded: {len(people)} accounts, password {DEMO_PASSWORD!r} (see README).")
