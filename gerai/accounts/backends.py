from django.contrib.auth.backends import ModelBackend

from gerai.accounts.selectors import user_by_identifier


class EmailOrPhoneBackend(ModelBackend):
    """Sign in with the email address or the mobile number, in any common spelling."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        user = user_by_identifier(username)
        if user is None:
            self.user_model_dummy_hash(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_model_dummy_hash(self, password):
        from django.contrib.auth import get_user_model

        get_user_model()().set_password(password)  # equalise timing for unknown accounts
