from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gerai.accounts"
    label = "accounts"

    def ready(self) -> None:
        from gerai.accounts.personal_data import account_of
        from gerai.core import personal_data

        personal_data.register("akun", account_of)
