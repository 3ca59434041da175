from datetime import date

from services.calendar import add_business_days, business_days_between, is_business_day


def test_weekends_holidays_and_year_end_are_off():
    assert is_business_day(date(2026, 11, 26))       # Thursday
    assert not is_business_day(date(2026, 11, 28))   # Saturday
    assert not is_business_day(date(2026, 11, 23))   # 勤労感謝の日
    assert not is_business_day(date(2026, 12, 31))
    assert not is_business_day(date(2027, 1, 2))


def test_add_business_days_skips_days_off():
    assert add_business_days(date(2026, 11, 20), 2) == date(2026, 11, 25)  # Fri → skip weekend and 11/23
    assert add_business_days(date(2026, 12, 29), 2) == date(2027, 1, 4)  # 12/30, then 1/4
    assert add_business_days(date(2026, 11, 25), -2) == date(2026, 11, 20)


def test_business_days_between():
    assert business_days_between(date(2026, 11, 20), date(2026, 11, 25)) == 2
    assert business_days_between(date(2026, 11, 25), date(2026, 11, 20)) == -2
