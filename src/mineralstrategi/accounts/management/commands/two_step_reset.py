"""`mineralstrategi manage two_step_reset USERNAME`: the recovery path for someone who lost both
their authenticator app and their backup codes (docs/architecture.md, "Two-step verification").
Run by the operator on the server after checking who asks; the person's next login sends a new
enrolment link to the account's e-mail address."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mineralstrategi.accounts.services import masked_address, two_step_reset


class Command(BaseCommand):
    help = "Remove a person's second factors, so that the next login mails a new enrolment link."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account has the username {username!r}.")
        removed = two_step_reset(user)
        where = masked_address(user.email) or "no address: add one before the next login"
        self.stdout.write(
            f"Removed {removed} second factor(s) of {username}; the next login mails a new "
            f"enrolment link ({where})."
        )
