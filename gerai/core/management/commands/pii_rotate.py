import json

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from gerai.lib import pii


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted personal value under the current key of GERAI_PII_KEYS (its first), "
        "so an old key can then be dropped from the list. Safe to run again; runs while the platform serves."
    )

    def handle(self, *args, **options):
        current = pii.current_kid()
        total = 0
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, pii.EncryptedTextField):
                    total += self._rotate(model, field.name, current)
                elif isinstance(field, pii.EncryptedJSONField):
                    total += self._rotate_json(model, field.name, current)
        self.stdout.write(f"{total} value(s) re-encrypted under key {current!r}")

    def _rotate(self, model, name: str, current: str) -> int:
        done = 0
        rows = model._base_manager.annotate(_raw=Cast(name, TextField())).values_list("pk", "_raw")
        for pk, raw in rows.iterator(chunk_size=1000):
            if raw and pii.kid_of(raw) != current:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**{name: pii.encrypt(pii.decrypt(raw))})
                done += 1
        return done

    def _rotate_json(self, model, name: str, current: str) -> int:
        """Each row whose JSON holds a value sealed under another key: every sealed value in it re-sealed."""
        done = 0
        rows = model._base_manager.annotate(_raw=Cast(name, TextField())).values_list("pk", "_raw")
        for pk, raw in rows.iterator(chunk_size=1000):
            if not raw or pii.PREFIX not in raw:
                continue
            stored = json.loads(raw)
            if pii.sealed_kids(stored) - {current}:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**{name: pii.opened(stored)})
                done += 1
        return done
