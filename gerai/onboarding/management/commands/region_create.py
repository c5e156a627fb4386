import time

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from gerai.core.actors import Actor
from gerai.onboarding.services import OnboardingError, region_onboard


class Command(BaseCommand):
    help = (
        "Onboard a region from its Kemendagri code: areas with an office each, the province's time zone, the default "
        "modules, its own signing CA and (with --admin-email) an invitation link for its first admin. Re-running it "
        "for a code already on the platform changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="Kemendagri kabupaten/kota code, e.g. 63.01 (Tanah Laut)")
        parser.add_argument("--slug", default="", help="the region's address (default: from its name)")
        parser.add_argument("--admin-email", default="", help="invite the first region admin at this address")
        parser.add_argument("--admin-name", default="", help="the first admin's full name")

    def handle(self, code, slug="", admin_email="", admin_name="", **options):
        started = time.monotonic()
        try:
            done = region_onboard(
                actor=Actor.system(), code=code, slug=slug, admin_email=admin_email, admin_name=admin_name
            )
        except OnboardingError as exc:
            raise CommandError(str(exc.message)) from exc
        region = done.region
        if not done.created:
            self.stdout.write(
                f"{region.name} ({region.code}) is already on the platform as /{region.slug}/: nothing changed."
            )
            return
        self.stdout.write(
            f"{region.name} ({region.code}) onboarded as /{region.slug}/ in {time.monotonic() - started:.1f} s: "
            f"{done.areas} areas, time zone {region.timezone} ({region.zone_abbreviation}), "
            f"modules {', '.join(region.modules)}, tracking prefix {region.tracking_prefix}, own signing CA."
        )
        if done.invitation_token:
            path = reverse("accounts:invitation", kwargs={"token": done.invitation_token})
            self.stdout.write(f"First admin's invitation (works once, for 7 days): {path}")
