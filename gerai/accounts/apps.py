from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gerai.accounts"
    label = "accounts"
