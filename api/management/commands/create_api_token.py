"""manage.py create_api_token USERNAME [--name NAME]: prints the new token and nothing else.

Only the token goes to standard output so a script can capture it
(TOKEN=$(manage.py create_api_token ci)); it cannot be shown again.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.services import api_token_create
from portal.errors import PortalError


class Command(BaseCommand):
    help = "Create a personal access token for USERNAME and print it (once: only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Created from the command line", help="What the token is for.")

    def handle(self, *args, username, name, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"The user {username!r} is inactive; their tokens would not work.")
        try:
            _record, token = api_token_create(user=user, name=name)
        except PortalError as error:
            raise CommandError(error.message) from None
        self.stdout.write(token)
