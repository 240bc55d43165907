"""Who may do what, shared by every app: the review engineers' group."""

REVIEW_ENGINEERS_GROUP = "Review engineers"


def user_is_review_engineer(user) -> bool:
    # The admin asks this for every model and action on a page; the answer is kept on
    # the request's user object so the group is looked up once per request.
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_is_review_engineer"):
        user._is_review_engineer = user.is_superuser or (
            user.is_staff and user.groups.filter(name=REVIEW_ENGINEERS_GROUP).exists()
        )
    return user._is_review_engineer
