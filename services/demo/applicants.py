"""Demo applicants at each stage of the 新規利用申込: half-filled draft, 一時保存 draft, submitted,
returned with reviewer comments. Each has a 仮ログイン ID with the demo password and a demo button.

Runs inside services.demo.seeding.seed_if_empty's unit of work, through the same service code the pages use.
"""
from __future__ import annotations

import io
from typing import Any

from faker import Faker
from pypdf import PdfWriter
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Application, ApplicationSection, IssuedCode, User
from services import clock
from services.application.attachments import add_attachment
from services.application.connection import ConnectionType
from services.application.save import save_draft, save_section
from services.application.start import start_application
from services.application.submit import submit_application
from services.auth import login_key, to_actor
from services.authz import Actor
from services.codes import CodeKind
from services.deadlines import default_start_date
from services.demo.accounts import DEMO_PASSWORD, demo_password_hash
from services.demo.testdata import complete_sections, corporate_number
from services.fields import FieldInvalid, clean_phone
from services.review import actions
from services.temp_accounts import Channel, create_temp_account, terms_in_force
from services.uow import UnitOfWork, get_or_raise

# Fixed IDs so the login page's demo buttons find them; generated IDs never contain 0 or 1.
DRAFT_ID, SAVED_ID, SUBMITTED_ID, RETURNED_ID = "T900000001", "T900000002", "T900000003", "T900000004"
APPROVED_ID = "T900000005"
WIZARD_DEMO_BUTTONS = [
    ("wizard.demo.draft", DRAFT_ID),
    ("wizard.demo.saved", SAVED_ID),
    ("wizard.demo.submitted", SUBMITTED_ID),
    ("wizard.demo.returned", RETURNED_ID),
    ("wizard.demo.approved", APPROVED_ID),
]


def _demo_pdf() -> bytes:
    """A real one-page PDF (uploads are parsed, so a header alone is refused)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _phone(fake: Faker) -> str:
    for _ in range(5):
        try:
            return clean_phone(fake.phone_number())
        except FieldInvalid:
            continue
    return "03-1234-5678"


def _person(fake: Faker) -> dict[str, str]:
    last, first = fake.last_name_pair(), fake.first_name_pair()
    return {"name": f"{last[0]} {first[0]}", "kana": f"{last[1]} {first[1]}",
            "mail": f"{first[2].lower()}.{last[2].lower()}@example.jp"}


def _applicant(u: UnitOfWork, fake: Faker, temp_login_id: str) -> tuple[Actor, int, dict[str, Any]]:
    """A temporary account issued as the public page issues it (its user and applicant id), plus the
    data a complete application for it would hold."""
    s = u.session
    clerk, manager = _person(fake), _person(fake)
    company = fake.company()
    address = f"{fake.prefecture()}{fake.city()}{fake.town()}{fake.chome()}{fake.ban()}"
    corp_base = f"{fake.random_number(digits=12, fix_len=True)}"
    s.add(IssuedCode(code=temp_login_id, kind=CodeKind.TEMP_LOGIN, issued_at=clock.now()))
    values = {"contact_name": clerk["name"], "contact_kana": clerk["kana"], "company_name": company,
              "department": "業務部", "phone": _phone(fake), "email": clerk["mail"],
              "corporate_number": corporate_number(corp_base)}
    applicant, user = create_temp_account(s, values, terms=terms_in_force(s), via=Channel.WEB, password=DEMO_PASSWORD,
                                          password_hash=demo_password_hash(), is_demo=True,
                                          temp_login_id=temp_login_id)
    sections = complete_sections(clerk_email=clerk["mail"], manager_email=manager["mail"], company=company,
                                 name=clerk["name"], kana=clerk["kana"], address=address, corp_base12=corp_base)
    sections["applicant_contact"] |= {"admin_manager_name": manager["name"], "admin_manager_kana": manager["kana"],
                                      "application_clerk_phone": applicant.phone}
    sections["office"]["office_name"] = f"{fake.city()}営業所"
    return to_actor(user), applicant.id, sections


def _fill(u: UnitOfWork, actor: Actor, app_id: int, sections: dict[str, dict], keys: list[str]) -> None:
    for key in keys:
        save_section(actor, app_id, key, sections[key], _version(u, app_id, key), uow=u)


def _version(u: UnitOfWork, app_id: int, key: str) -> int:
    return u.session.execute(select(ApplicationSection.version).where(
        ApplicationSection.application_id == app_id, ApplicationSection.section_key == key)).scalar_one()


def _net(sections: dict[str, dict]) -> dict[str, dict]:
    net = complete_sections(ConnectionType.NET)
    sections = dict(sections)
    sections["office"] = sections["office"] | {"connection_type": ConnectionType.NET}
    sections["line"] = net["line"]
    sections["logical_terminal"] = net["logical_terminal"]
    sections.pop("line_installation", None)
    sections.pop("mailbox", None)
    return sections


def _reviewer(s: Session) -> Actor | None:
    user = s.scalar(select(User).where(User.login_key == login_key("demo-reviewer")))
    return to_actor(user) if user else None


def seed_wizard_applicants(u: UnitOfWork, fake: Faker) -> None:
    """Runs in the demo's unit of work: every use case below only flushes; the demo commits."""
    s = u.session

    # 入力途中: screens 1–3 done, the line screen half entered.
    actor, applicant_id, data = _applicant(u, fake, DRAFT_ID)
    app_id = start_application(actor, applicant_id, shared_use=False, uow=u)
    data["line"] = {"line_type": data["line"]["line_type"]}
    _fill(u, actor, app_id, data, ["applicant_contact", "office", "user_code", "line"])

    # 一時保存: a shared-use NET application saved up to the billing screen, then logged out.
    actor, applicant_id, data = _applicant(u, fake, SAVED_ID)
    data = _net(data)
    app_id = start_application(actor, applicant_id, shared_use=True, uow=u)
    _fill(u, actor, app_id, data, ["applicant_contact", "office", "user_code", "line"])
    save_draft(actor, app_id, "logical_terminal", data["logical_terminal"],
               _version(u, app_id, "logical_terminal"), uow=u)

    # 申込受付: a complete NET application, submitted.
    actor, applicant_id, data = _applicant(u, fake, SUBMITTED_ID)
    data = _net(data)
    app_id = start_application(actor, applicant_id, shared_use=False, uow=u)
    _fill(u, actor, app_id, data, list(data))
    submit_application(actor, app_id, get_or_raise(s, Application, app_id).version, uow=u)

    # 差戻し: a general NACCS application with its diagram, returned with comments on two screens.
    actor, applicant_id, data = _applicant(u, fake, RETURNED_ID)
    app_id = start_application(actor, applicant_id, shared_use=False, uow=u)
    _fill(u, actor, app_id, data, list(data))
    add_attachment(actor, app_id, "システム構成図 2026 版.pdf", _demo_pdf(), uow=u)
    submit_application(actor, app_id, get_or_raise(s, Application, app_id).version, uow=u)
    reviewer = _reviewer(s)
    if reviewer is None:
        return
    actions.claim(reviewer, app_id, get_or_raise(s, Application, app_id).version, uow=u)
    actions.return_for_correction(reviewer, app_id, {
        "office": "事業所の所在地が登記上の住所と異なります。確認のうえ修正してください。",
        "logical_terminal": "論理端末の設置場所を部屋番号まで入力してください。",
    }, get_or_raise(s, Application, app_id).version, uow=u)

    # 確認完了: approved by the real review action, so its 仮ログイン ID shows the ID notice (事業所コード
    # and password) and the guidance after approval, without a review or another login in a demo.
    actor, applicant_id, data = _applicant(u, fake, APPROVED_ID)
    data = _net(data)
    app_id = start_application(actor, applicant_id, shared_use=False, uow=u)
    _fill(u, actor, app_id, data, list(data))
    submit_application(actor, app_id, get_or_raise(s, Application, app_id).version, uow=u)
    actions.claim(reviewer, app_id, get_or_raise(s, Application, app_id).version, uow=u)
    actions.approve(reviewer, app_id, default_start_date(), get_or_raise(s, Application, app_id).version, uow=u)
