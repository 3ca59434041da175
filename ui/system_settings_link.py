"""The way to the システム設定の申込 of one 利用者コード: the guidance's 手続き button and each × of
契約内容確認's table open the same page with the code in the URL (?user_code=...)."""
from __future__ import annotations

from ui.page_links import page_link_or_disabled

SYSTEM_SETTINGS_PAGE = "screens/applicant/system_settings.py"
USER_CODE_PARAM = "user_code"


def system_settings_link(user_code: str, label: str, *, key: str, icon: str | None = None,
                         help: str | None = None) -> None:
    page_link_or_disabled(SYSTEM_SETTINGS_PAGE, label, key=key, icon=icon, help=help,
                          query_params={USER_CODE_PARAM: user_code})
