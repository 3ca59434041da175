"""The staff the generator created, as the actors services expect."""
from __future__ import annotations

from services.authz import REVIEWER, Actor


def reviewer_actor(user_id: int = 1) -> Actor:
    """bench-reviewer-01 (generator staff ids start at 1 with the reviewers)."""
    return Actor(user_id=user_id, login_id=f"bench-reviewer-{user_id:02d}", display_name=f"reviewer {user_id}",
                 kind="STAFF", roles=frozenset({REVIEWER}))
