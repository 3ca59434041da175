"""The demo 掲示板: the three survey forms (as every deployment gets them) and a few notices, one
of them important, posted by the demo administrator through the real use case."""
from __future__ import annotations

from datetime import timedelta

from faker import Faker
from sqlalchemy import select

from db.models import User
from services import bulletin_board, clock
from services.auth import login_key, to_actor
from services.uow import UnitOfWork

ADMIN_LOGIN_ID = "demo-admin"
# (days ago, title, body, important)
NOTICES: tuple[tuple[int, str, str, bool], ...] = (
    (1, "システム設定の申込に必要な調査票について",
     "貨物引渡業務・航空会社インタフェース・船会社受委託関係の設定は画面から入力できません。\n"
     "この掲示板から調査票をダウンロードし、記入のうえシステム設定の申込に添付してください。", True),
    (8, "年末年始の審査について",
     "12月31日から1月3日までは審査を行いません。期限は営業日で数えます。", False),
    (20, "NACCS 利用申込ポータルを公開しました",
     "新規利用申込、システム設定の申込、契約内容の確認をこのポータルで行えます。", False),
)


def seed_board(u: UnitOfWork, fake: Faker) -> None:
    bulletin_board.ensure_survey_forms(uow=u)
    user = u.session.scalar(select(User).where(User.login_key == login_key(ADMIN_LOGIN_ID)))
    if user is None:
        return
    admin = to_actor(user)
    today = clock.today_jst()
    for days_ago, title, body, important in NOTICES:
        bulletin_board.add_notice(admin, title, body, important=important,
                                  posted_on=today - timedelta(days=days_ago), uow=u)
