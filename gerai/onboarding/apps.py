from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "gerai.onboarding"
    label = "onboarding"
