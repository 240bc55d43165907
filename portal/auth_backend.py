"""The signed-in user, read from the cache instead of the database on every request.

Django's ModelBackend loads the user row for every request a signed-in person makes; on
a page served from cached parts that query was a sixth of the request. The user is kept
under the scope `user:<pk>` (portal.fragments), which every save or delete of the row
moves: a password change, a deactivation, a new name take effect on the next request.
Group and permission checks are not cached here (portal.permissions asks them).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal.fragments import cached_value, changed

USER_SECONDS = 5 * 60


def user_scope(pk) -> str:
    return f"user:{pk}"


class CachedUserBackend(ModelBackend):
    def get_user(self, user_id):
        # ModelBackend's get_user answers None for a user who may not sign in (inactive).
        return cached_value(scopes=[user_scope(user_id)], key=("auth-user",), seconds=USER_SECONDS,
                            compute=lambda: super(CachedUserBackend, self).get_user(user_id))


@receiver([post_save, post_delete], sender=get_user_model(), dispatch_uid="portal.auth_backend.user_saved")
def _user_saved(sender, instance, **kwargs):
    changed(user_scope(instance.pk))
