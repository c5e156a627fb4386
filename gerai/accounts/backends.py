from django.contrib.auth import get_user_model
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

    def user_can_authenticate(self, user) -> bool:
        """Not before the registration's link is opened: until then the password is checked all the same
        (the same work as for anyone) and the answer is the one for a wrong password, so a sign-in says
        nothing about whether the address was free, and whoever registered someone else's address cannot
        use the account (the link goes to the address, and opening it clears the wait)."""
        return super().user_can_authenticate(user) and not getattr(user, "registration_pending", False)

    def user_model_dummy_hash(self, password):
        get_user_model()().set_password(password)  # equalise timing for unknown accounts
