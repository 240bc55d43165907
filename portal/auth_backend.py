"""The signed-in user, read from the cache instead of the database on every request.

Django's ModelBackend loads the user row for every request a signed-in person makes; on
a page served from cached parts that query was a sixth of the request. The user is kept
under the scope `user:<pk>` (portal.fragments), which every save or delete of the row
moves: a password change, a deactivation, a new name take effect on the next request.
Whether the user is a review engineer (portal.permissions, asked by every admin page)
is worked out with the row and kept with it: a change of the user's groups moves the
user's scope, a renamed or deleted group moves every user's (`auth-groups`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from portal.fragments import cached_value, changed
from portal.permissions import user_is_review_engineer

USER_SECONDS = 5 * 60
GROUPS = "auth-groups"


def user_scope(pk) -> str:
    return f"user:{pk}"


class CachedUserBackend(ModelBackend):
    def get_user(self, user_id):
        return cached_value(scopes=[user_scope(user_id), GROUPS], key=("auth-user",), seconds=USER_SECONDS,
                            compute=lambda: self._load(user_id))

    def _load(self, user_id):
        # ModelBackend's get_user answers None for a user who may not sign in (inactive).
        user = super().get_user(user_id)
        if user is not None:
            user_is_review_engineer(user)  # kept on the object, so cached with it
        return user


User = get_user_model()


@receiver([post_save, post_delete], sender=User, dispatch_uid="portal.auth_backend.user_saved")
def _user_saved(sender, instance, **kwargs):
    changed(user_scope(instance.pk))


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="portal.auth_backend.groups_changed")
def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:  # user.groups.add(...): one user
        changed(user_scope(instance.pk))
    elif pk_set:  # group.user_set.add(...): these users
        changed(*map(user_scope, pk_set))
    else:  # group.user_set.clear(): whoever was in it
        changed(GROUPS)


@receiver([post_save, post_delete], sender=Group, dispatch_uid="portal.auth_backend.group_saved")
def _group_saved(sender, instance, **kwargs):
    changed(GROUPS)
