"""Who may do what with a region's news: the one place the office pages, the services and the templates ask.

- **The public** sees published articles only (`public_q`), and of their comments only approved ones.
- **Writing, editing, sending for review, publishing, scheduling and taking an article down, and moderating
  comments** belong to the region's content editors (`StaffRole.Role.EDITOR`) and region admins: the people
  whom `Access.CONTENT` (gerai/accounts/policy.py) lets into the office's news pages. Accounts has one content
  role, so the roles of the newsroom are not split further here: the article records its author and the
  editor who published or scheduled it, the audit log records every step, and the review state lets a
  region practise a second pair of eyes before publishing.
- Nobody else, of this region or another, sees an unpublished article: the selectors give them a 404.
"""

from django.db.models import Q
from django.utils import timezone

from gerai.accounts.policy import Access, staff_may
from gerai.accounts.selectors import staff_roles_in_region
from gerai.core.actors import Actor
from gerai.news.models import Article, Comment


def public_q() -> Q:
    return Q(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())


def is_public(article: Article) -> bool:
    return (
        article.status == Article.Status.PUBLISHED
        and article.publish_at is not None
        and article.publish_at <= timezone.now()
    )


def may_edit(user, region) -> bool:
    """Write, edit and send articles for review."""
    if user is None or not user.is_authenticated:
        return False
    return staff_may(user, list(staff_roles_in_region(user, region)), Access.CONTENT)


def may_publish(user, region) -> bool:
    """Publish, schedule and take down; moderate comments."""
    return may_edit(user, region)


def actor_may_publish(actor: Actor, region) -> bool:
    """The worker (a system actor) publishes what an editor scheduled."""
    return (actor.user is None and actor.via == "system") or may_publish(actor.user, region)


def comment_visible_q() -> Q:
    return Q(status=Comment.Status.APPROVED)
