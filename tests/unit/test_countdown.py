"""One countdown for every role: the applicant's guidance and the reviewer's dashboard count the
same deadline the same way (business days on the JST calendar; hours while a moment is ahead)."""
from datetime import date, datetime, timedelta

from services import clock
from services.clock import JST
from services.deadlines import business_days_left
from ui.format import countdown


def _at(day: date, hour: int = 12):
    return clock.shifted(datetime(day.year, day.month, day.day, hour, tzinfo=JST) - clock.now())


def test_business_days_skip_weekends_and_holidays():
    friday = date(2026, 11, 20)
    assert business_days_left(date(2026, 11, 24), today=friday) == 1   # 11/23 勤労感謝の日 and the weekend
    assert business_days_left(friday, today=friday) == 0
    assert business_days_left(date(2026, 11, 19), today=friday) == -1


def test_the_words_for_ahead_today_and_past():
    with _at(date(2026, 12, 1)):  # Tuesday
        assert countdown(date(2026, 12, 3)) == "あと 2 営業日"
        assert countdown(date(2026, 12, 1)) == "本日が期限"
        assert countdown(date(2026, 11, 27)) == "2 営業日超過"   # Friday before: Mon, Tue passed
        assert countdown(clock.now() + timedelta(hours=5, minutes=10)) == "あと 5 時間"
        assert countdown(clock.now() - timedelta(days=1)) == "1 営業日超過"
