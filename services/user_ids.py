"""The 利用者ID issued on approval (8 characters: 利用者コード + 識別番号, SPEC §5), for the screens
that show them: the ID notice, 申込内容確認, the desk's caller record and the reviewer's detail."""
from __future__ import annotations

from sqlalchemy import select

from db.models import UserCode
from services.authz import Actor, require_applicant_access
from services.uow import UnitOfWork


def user_ids(actor: Actor, applicant_id: int, application_id: int | None = None, *,
             uow: UnitOfWork | None = None) -> list[str]:
    """In the order issued; only those of one application when `application_id` is given."""
    require_applicant_access(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        query = select(UserCode).where(UserCode.applicant_id == applicant_id).order_by(UserCode.id)
        if application_id is not None:
            query = query.where(UserCode.application_id == application_id)
        return [row.user_code + number for row in u.session.scalars(query) for number in row.id_numbers]
