"""The facet sets keep each entry's publication date as a number: the order of the dates the
index holds, whatever text the database gives them in."""

from search.facet_sets import UNDATED, date_number


def test_dates_as_numbers_keep_the_order_of_the_dates_in_either_database_s_text():
    as_read = [
        "2024-05-03 12:34:56",  # SQLite, no fraction of a second
        "2024-05-03 12:34:56.000001",
        "2024-05-03 12:34:56.5+00",  # PostgreSQL, shortened fraction and time zone
        "2024-05-03 12:34:57+00",
        "1969-12-31 23:59:59",
        "2025-01-01 00:00:00.000000",
    ]
    numbers = [date_number(text) for text in as_read]

    assert sorted(as_read, key=date_number) == [as_read[4], *as_read[:4], as_read[5]]
    assert len(set(numbers)) == len(numbers)
    assert date_number(None) == UNDATED < min(numbers)
