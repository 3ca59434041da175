"""Demo usage: the demo offices and the approved demo applicant have 12 months of usage, which
請求内容参照 computes and the plan advisor compares."""
from sqlalchemy import select

from db.models import Applicant
from services.billing import charges
from services.demo import seeding as demo
from services.demo.applicants import APPROVED_ID
from services.demo.offices import ALL_ID, NONE_ID, SOME_ID
from services.uow import UnitOfWork
from tests.factories import make_staff


def test_demo_offices_have_twelve_months_of_charges(demo_on):
    for login_id in (NONE_ID, SOME_ID, ALL_ID):
        actor = demo.demo_login(login_id)
        st = charges.statement(actor, actor.applicant_id)
        assert len(st.months) == 12 and all(m.has_usage and m.charge.total > 0 for m in st.months)
        assert st.advice is not None and st.advice.months == 6
    with UnitOfWork() as u:
        approved = u.session.scalar(select(Applicant.id).where(Applicant.temp_login_id == APPROVED_ID))
    st = charges.statement(make_staff("rev-demo", "reviewer"), approved)
    assert st.in_force and sum(m.has_usage for m in st.months) == 12
