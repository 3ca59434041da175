"""Applicant.status, in a module of its own: services.auth stops an office's logins with it, and
services.temp_accounts (which makes applicants, and re-exports it) imports services.auth."""
from __future__ import annotations

from enum import StrEnum


class ApplicantStatus(StrEnum):
    """Applicant.status: where the company stands as an account holder."""
    TEMP_REGISTERED = "TEMP_REGISTERED"  # 仮ログイン登録完了: has a 仮ログイン ID
    OFFICE = "OFFICE"                    # its 事業所コード is issued (on approval)
    CANCELLED = "CANCELLED"              # approval cancelled by the system-settings cut-off (services.cutoff)
    CONTRACT_ENDED = "CONTRACT_ENDED"    # 解約: the whole contract ended by an approved 解約申込 (services.cancellation)


# An office whose logins were stopped (services.auth.stop_office): no longer at risk of anything.
STOPPED = (ApplicantStatus.CANCELLED, ApplicantStatus.CONTRACT_ENDED)
