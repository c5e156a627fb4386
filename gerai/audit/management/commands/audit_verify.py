from django.core.management.base import BaseCommand, CommandError

from gerai.audit import chain


class Command(BaseCommand):
    help = "Check every link of the audit log's chains and their signed checkpoints; name the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("--chain", help="one chain only (r<region id> or platform)")
        parser.add_argument("--checkpoint", action="store_true", help="sign each sound chain's head afterwards")

    def handle(self, *args, **options):
        broken = []
        for name in [options["chain"]] if options["chain"] else chain.all_chains():
            verdict = chain.verify_chain(name)
            if verdict.ok:
                self.stdout.write(f"{name}: {verdict.count} entries, sound")
            else:
                where = f" (entry id {verdict.entry_id})" if verdict.entry_id else ""
                self.stdout.write(f"{name}: BROKEN at entry {verdict.seq}{where}: {verdict.problem}")
                broken.append(name)
        if options["checkpoint"] and not broken:
            self.stdout.write(f"{chain.checkpoint_all()} checkpoint(s) signed")
        if broken:
            raise CommandError(f"audit log broken in {', '.join(broken)}")
