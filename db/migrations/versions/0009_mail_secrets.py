"""mail: passwords out of the readable outbox body; a lease for the periodic sender

Revision ID: 0009_mail_secrets
Revises: 0008_review_open_queue_conn
Create Date: 2026-12-01 13:40:00

`mail_outbox.body` used to carry the 仮パスワード / 再発行パスワード in plain text. The body now shows
******** in their place; `secret` holds them encrypted (services.secrets) only until the mail is
sent or has failed for good. Rows written before this revision are rewritten here: a mail still to
be sent keeps its password encrypted, a sent or failed one loses it.

`claim_token` / `claimed_until` are the sending server's lease (services.mail.deliver_pending).
"""
import json
import re

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0009_mail_secrets'
down_revision = '0008_review_open_queue_conn'
branch_labels = None
depends_on = None

MASK = "********"  # as services.mail.MASK
# The labels of the two templates that carried a password, as written until this revision.
_SECRET_LINES = {
    "temp_account_issued": ("temp_password", re.compile(r"(仮パスワード\s*:\s*)(\S+)")),
    "password_reissued": ("password", re.compile(r"(再発行パスワード\s*:\s*)(\S+)")),
}


def upgrade() -> None:
    with op.batch_alter_table("mail_outbox") as batch_op:
        batch_op.add_column(sa.Column("has_secret", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("secret", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("claim_token", sa.String(32), nullable=True))
        batch_op.add_column(sa.Column("claimed_until", db.types.UTCDateTime(timezone=True), nullable=True))
    _scrub_bodies()


def _scrub_bodies() -> None:
    conn = op.get_bind()
    outbox = sa.table("mail_outbox", sa.column("id"), sa.column("template"), sa.column("body"),
                      sa.column("status"), sa.column("has_secret"), sa.column("secret"))
    rows = conn.execute(sa.select(outbox.c.id, outbox.c.template, outbox.c.body, outbox.c.status)
                        .where(outbox.c.template.in_(list(_SECRET_LINES)))).all()
    for row_id, template, body, status in rows:
        name, pattern = _SECRET_LINES[template]
        match = pattern.search(body or "")
        if match is None or match.group(2) == MASK:
            continue
        masked = body[:match.start(2)] + MASK + body[match.end(2):]
        secret = None
        if status != "SENT" and status != "FAILED":
            from services import secrets  # only when a mail still waits: its password stays encrypted
            secret = secrets.encrypt_mail_secret(json.dumps(
                {"values": {name: match.group(2)}, "spans": [[match.start(2), name]]}))
        conn.execute(sa.update(outbox).where(outbox.c.id == row_id)
                     .values(body=masked, has_secret=True, secret=secret))


def downgrade() -> None:
    # Passwords already removed from bodies are not put back.
    with op.batch_alter_table("mail_outbox") as batch_op:
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("claim_token")
        batch_op.drop_column("secret")
        batch_op.drop_column("has_secret")
