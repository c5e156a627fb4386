from django.core.management.base import BaseCommand, CommandError

from gerai.core.actors import Actor
from gerai.regions.models import Region
from gerai.regions.services import region_create, region_import_areas


class Command(BaseCommand):
    help = "Import a region's kecamatan and desa/kelurahan (and their offices) from the Kemendagri code list."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Kemendagri regency code, e.g. 35.10 (Banyuwangi) or 62.07 (Seruyan)")
        parser.add_argument("--create", metavar="PREFIX", help="create the region first, with this tracking prefix")
        parser.add_argument("--no-offices", action="store_true", help="do not create desa/kecamatan office agencies")

    def handle(self, code, create=None, no_offices=False, **options):
        actor = Actor.system()
        region = Region.objects.filter(code=code).first()
        if region is None:
            if not create:
                raise CommandError(f"No region {code} on the platform; pass --create PREFIX to create it.")
            try:
                region = region_create(actor=actor, code=code, tracking_prefix=create)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        try:
            count = region_import_areas(actor=actor, region=region, with_offices=not no_offices)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{region.name}: {count} areas imported")
