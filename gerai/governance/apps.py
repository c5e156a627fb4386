from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "gerai.governance"
    label = "governance"
