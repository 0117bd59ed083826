"""What a person typed in an address or a search form, read or refused with the field named."""

from __future__ import annotations

import pytest

from registry.domain.companies import company_id
from registry.domain.enums import Grade, OutcomeType
from registry.web import parameters
from registry.web.parameters import FormProblem


@pytest.mark.parametrize(("text", "expected"), [("1", 1), ("42", 42), ("0", None), ("-1", None), ("1e3", None),
                                                ("٣", None), ("99999999999999999999", None), ("", None)])  # fmt: skip
def test_a_record_id_is_a_positive_ascii_number(text: str, expected: int | None) -> None:
    assert parameters.record_id(text) == expected


def test_a_milestone_index_may_be_zero() -> None:
    assert parameters.milestone_index("0") == 0
    assert parameters.milestone_index("3") == 3
    assert parameters.milestone_index("x") is None


def test_blank_fields_mean_no_filter() -> None:
    assert parameters.year(" ") is None
    assert parameters.program(None) is None
    assert parameters.company("") is None
    assert parameters.enum_value("type", OutcomeType, "") is None


def test_fields_are_read_as_the_api_reads_them() -> None:
    assert parameters.year("2021") == 2021
    assert parameters.program("2") == 2
    assert parameters.company("131-81-10001") == company_id("131-81-10001")
    assert parameters.company("0x" + "ab" * 32) == bytes.fromhex("ab" * 32)
    assert parameters.enum_value("type", OutcomeType, "patent-application") is OutcomeType.PATENT_APPLICATION
    assert parameters.enum_value("grade", Grade, "Very Poor") is Grade.VERY_POOR


@pytest.mark.parametrize(
    ("read", "text", "field"),
    [
        (parameters.year, "abc", "year"),
        (parameters.year, "0", "year"),
        (parameters.year, "10000", "year"),
        (parameters.program, "two", "program"),
        (parameters.company, "12345", "company"),
        (parameters.company, "0x1234", "company"),
        (lambda text: parameters.enum_value("type", OutcomeType, text), "invention", "type"),
        (lambda text: parameters.enum_value("type", OutcomeType, text), "none", "type"),
    ],
)
def test_a_field_that_cannot_be_read_is_refused_naming_it_and_what_was_typed(
    read: object, text: str, field: str
) -> None:
    with pytest.raises(FormProblem) as refused:
        read(text)  # type: ignore[operator]
    assert refused.value.field == field
    assert refused.value.message == f"errors.{field}"
    assert refused.value.values == {"value": text}
