"""The 詳細入力画面 keys of a 新規利用申込, in screen order (the wizard's section definitions use the
same keys; the review side only needs the keys and their order)."""
from __future__ import annotations

SECTION_KEYS = ("applicant_contact", "office", "user_code", "line", "line_installation", "mailbox",
                "logical_terminal", "fee_plan", "billing_address")
