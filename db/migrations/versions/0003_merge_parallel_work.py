"""merge the parallel 0002 revisions (applicant entry, review, desk)

Revision ID: 0003_merge
Revises: 0002_applicant_entry, 0002_review, 0002_desk
"""
revision = "0003_merge"
down_revision = ("0002_applicant_entry", "0002_review", "0002_desk")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
