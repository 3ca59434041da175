"""Complete, valid screen data for demos and tests (one coherent company per call)."""
from __future__ import annotations

from typing import Any

from services.application.connection import ConnectionType, requires_line_work, uses_net
from services.fields import corporate_number_check_digit


def corporate_number(base12: str) -> str:
    """A valid 13-digit 法人番号 from any 12 digits (the check digit goes first)."""
    return f"{corporate_number_check_digit(base12)}{base12}"


def complete_sections(connection_type: str = ConnectionType.GENERAL, *, clerk_email: str = "clerk@example.jp",
                      manager_email: str = "manager@example.jp", company: str = "海洋物流株式会社",
                      name: str = "山田 太郎", kana: str = "ヤマダ タロウ", address: str = "東京都港区芝浦1-2-3",
                      corp_base12: str = "234567890123") -> dict[str, dict[str, Any]]:
    general = connection_type == ConnectionType.GENERAL
    methods = ["SMTP/POP3", "インタラクティブ"] if general else ["netNACCS"]
    data: dict[str, dict[str, Any]] = {
        "applicant_contact": {
            "application_clerk_name": name, "application_clerk_kana": kana,
            "application_clerk_department": "業務部", "application_clerk_phone": "03-1234-5678",
            "application_clerk_email": clerk_email, "application_clerk_email_confirm": clerk_email,
            "admin_manager_name": "佐藤 花子", "admin_manager_kana": "サトウ ハナコ",
            "admin_manager_department": "情報システム部", "admin_manager_phone": "03-1234-5679",
            "admin_manager_email": manager_email, "admin_manager_email_confirm": manager_email,
        },
        "office": {
            "company_name": company, "head_office_postal_code": "105-0023", "head_office_address": address,
            "head_office_phone": "03-1234-5600", "office_name": "本社営業所", "office_postal_code": "105-0023",
            "office_address": address, "office_phone": "03-1234-5601", "contractor_name": "鈴木 一郎",
            "contractor_title": "代表取締役", "corporate_number": corporate_number(corp_base12),
            "connection_type": connection_type, "security_confirmed": True,
        },
        "user_code": {"user_codes": [
            {"system_category": "海上", "industries": ["通関業", "海貨業"], "id_number_count": 2,
             "management_reports": True, "bonded_storage_service": False},
        ]},
        "line": {"line_type": "専用回線 1Mbps" if general else "インターネット",
                 "processing_methods": methods, "logical_terminal_count": 2, "server_count": 1},
        "logical_terminal": {"terminals": [
            {"installation_site": "本社 3階", "certificate_requested": uses_net(connection_type)},
            {"installation_site": "本社 4階", "certificate_requested": False},
        ]},
        "fee_plan": {"expected_monthly_usage": 30000, "plan": "B"},
        "billing_address": {"same_as_office": True},
    }
    if requires_line_work(connection_type):
        data["line_installation"] = {
            "site_postal_code": "105-0023", "site_address": address, "desired_completion_date": "2027-04-01",
            "site_contact_name": "高橋 次郎", "site_contact_phone": "03-1234-5602"}
    if general:  # SMTP/POP3 is one of the methods chosen above
        data["mailbox"] = {"mailboxes": [{"notification_email": manager_email}]}
    return data
