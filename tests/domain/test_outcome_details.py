"""The typed details of each outcome type (registry.domain.outcome_details and its table,
registry/domain/outcome_details.json, which the workspace's scripts load too).

The cases are also written as shared vectors (tests/domain/vectors/outcome_details.json) so that the
browser's mirror runs the very same ones; write them again after a change of the table with
`RND_WRITE_VECTORS=1 pytest tests/domain/test_outcome_details.py`.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from registry.domain.enums import OutcomeType
from registry.domain.outcome_details import (
    FIELDS,
    InvalidOutcomeDetails,
    check_outcome_details,
    fields_of,
    iso_countries,
    outcome_rules,
    type_key,
)
from registry.domain.records import OutcomeDetails

VECTORS = Path(__file__).parent / "vectors" / "outcome_details.json"
CONTRACT_DATE = datetime(2022, 3, 2, tzinfo=UTC)
HASHED = "0x" + "ab" * 32

# (type, external id, details given, expected: (external id, details recorded) or the refused field)
Case = tuple[OutcomeType, str, dict[str, Any], tuple[str, dict[str, Any]] | str]
CASES: list[Case] = [
    # a paper: DOI normalised, journal required, SCI(E) flag
    (OutcomeType.PAPER, "10.1038/s41586-021-03819-2", {"venue": "Nature", "sci_indexed": True},
     ("10.1038/s41586-021-03819-2", {"venue": "Nature", "sci_indexed": True})),
    (OutcomeType.PAPER, " https://doi.org/10.1038/S41586-021-03819-2 ", {"venue": " Nature "},
     ("10.1038/s41586-021-03819-2", {"venue": "Nature"})),
    (OutcomeType.PAPER, "doi:10.5392/JKCA.2021.21.03.001", {"venue": "한국콘텐츠학회논문지"},
     ("10.5392/jkca.2021.21.03.001", {"venue": "한국콘텐츠학회논문지"})),
    (OutcomeType.PAPER, "http://dx.doi.org/10.1000.10/abc", {"venue": "J"}, ("10.1000.10/abc", {"venue": "J"})),
    (OutcomeType.PAPER, "10.1038", {"venue": "Nature"}, "externalId"),
    (OutcomeType.PAPER, "10.12/abc", {"venue": "Nature"}, "externalId"),  # a registrant has 4 to 9 digits
    (OutcomeType.PAPER, "", {"venue": "Nature"}, "externalId"),
    (OutcomeType.PAPER, "10.1038/x", {}, "venue"),
    (OutcomeType.PAPER, "10.1038/x", {"venue": "N", "counterparty": "someone"}, "counterparty"),
    (OutcomeType.PAPER, "10.1038/x", {"venue": "N", "amount": 5}, "amount"),
    (OutcomeType.PAPER, "10.1038/x", {"venue": "N", "country": "KR"}, "country"),
    # a patent application: KIPO 10-YYYY-NNNNNNN (dashes added), or another office's number with its country
    (OutcomeType.PATENT_APPLICATION, "10-2021-0123456", {}, ("10-2021-0123456", {"country": "KR"})),
    (OutcomeType.PATENT_APPLICATION, "1020210123456", {"country": "kr"}, ("10-2021-0123456", {"country": "KR"})),
    (OutcomeType.PATENT_APPLICATION, "10-21-0123456", {}, "externalId"),
    (OutcomeType.PATENT_APPLICATION, "20-2021-0123456", {}, "externalId"),  # a utility model, not a patent
    (OutcomeType.PATENT_APPLICATION, "pct/kr2021/012345", {"country": "wo"},
     ("PCT/KR2021/012345", {"country": "WO"})),
    (OutcomeType.PATENT_APPLICATION, "17/123,456", {"country": "US"}, "externalId"),
    (OutcomeType.PATENT_APPLICATION, "17/123456", {"country": "US"}, ("17/123456", {"country": "US"})),
    (OutcomeType.PATENT_APPLICATION, "17/123456", {"country": "XX"}, "country"),
    (OutcomeType.PATENT_APPLICATION, "17/123456", {"country": "KOR"}, "country"),
    (OutcomeType.PATENT_APPLICATION, "10-2021-0123456", {"venue": "KIPO"}, "venue"),
    # a patent registration: KIPO 10-NNNNNNN (the -0000 suffix of the certificate dropped)
    (OutcomeType.PATENT_REGISTRATION, "10-2345678", {}, ("10-2345678", {"country": "KR"})),
    (OutcomeType.PATENT_REGISTRATION, "10-2345678-0000", {}, ("10-2345678", {"country": "KR"})),
    (OutcomeType.PATENT_REGISTRATION, "102345678", {}, ("10-2345678", {"country": "KR"})),
    (OutcomeType.PATENT_REGISTRATION, "10-2021-0123456", {}, "externalId"),  # an application number
    (OutcomeType.PATENT_REGISTRATION, "EP3812345", {"country": "EP"}, ("EP3812345", {"country": "EP"})),
    # software: C-YYYY-NNNNNN
    (OutcomeType.SOFTWARE, "c-2021-012345", {}, ("C-2021-012345", {})),
    (OutcomeType.SOFTWARE, "C2021012345", {}, ("C-2021-012345", {})),
    (OutcomeType.SOFTWARE, "C-2021-01234", {}, "externalId"),
    (OutcomeType.SOFTWARE, "", {}, "externalId"),
    (OutcomeType.SOFTWARE, "C-2021-012345", {"country": "KR"}, "country"),
    # a plant variety: its registration number
    (OutcomeType.PLANT_VARIETY, "8123", {}, ("8123", {"country": "KR"})),
    (OutcomeType.PLANT_VARIETY, "제 8123 호", {}, ("8123", {"country": "KR"})),
    (OutcomeType.PLANT_VARIETY, "8123-A", {}, "externalId"),
    (OutcomeType.PLANT_VARIETY, "", {}, "externalId"),
    # a technology transfer: contract date, licensee (name or hash), fee
    (OutcomeType.TECHNOLOGY_TRANSFER, "", {"counterparty": "(주)가온테크", "date": CONTRACT_DATE, "amount": 30_000_000},
     ("", {"counterparty": "(주)가온테크", "date": CONTRACT_DATE, "amount": 30_000_000})),
    (OutcomeType.TECHNOLOGY_TRANSFER, "TT-2022-07", {"counterparty": HASHED, "date": CONTRACT_DATE, "amount": 1},
     ("TT-2022-07", {"counterparty": HASHED, "date": CONTRACT_DATE, "amount": 1})),
    (OutcomeType.TECHNOLOGY_TRANSFER, "", {"counterparty": "0x12", "date": CONTRACT_DATE, "amount": 1}, "counterparty"),
    (OutcomeType.TECHNOLOGY_TRANSFER, "", {"date": CONTRACT_DATE, "amount": 1}, "counterparty"),
    (OutcomeType.TECHNOLOGY_TRANSFER, "", {"counterparty": "A", "amount": 1}, "date"),
    (OutcomeType.TECHNOLOGY_TRANSFER, "", {"counterparty": "A", "date": CONTRACT_DATE}, "amount"),
    (OutcomeType.TECHNOLOGY_TRANSFER, "", {"counterparty": "A", "date": CONTRACT_DATE, "amount": 1,
                                           "sci_indexed": True}, "sciIndexed"),
    # a certification: its number and certifying body
    (OutcomeType.CERTIFICATION, "GR-2021-001", {"venue": "국가기술표준원"},
     ("GR-2021-001", {"venue": "국가기술표준원"})),
    (OutcomeType.CERTIFICATION, "GR-2021-001", {}, "venue"),
    (OutcomeType.CERTIFICATION, "  ", {"venue": "KTL"}, "externalId"),
    # the others: an identifier if there is one
    (OutcomeType.PROTOTYPE, "", {}, ("", {})),
    (OutcomeType.REPORT, "TRKO202100012345", {"venue": "NTIS"}, ("TRKO202100012345", {"venue": "NTIS"})),
    (OutcomeType.BIOLOGICAL_RESOURCE, "KCTC 12345", {"country": "KR"}, ("KCTC 12345", {"country": "KR"})),
    (OutcomeType.PROTOTYPE, "", {"country": "KR"}, "country"),
    (OutcomeType.COMPOUND, "", {"amount": 10}, "amount"),
]  # fmt: skip


def _details(values: dict[str, Any]) -> OutcomeDetails:
    return OutcomeDetails.model_construct(**{**OutcomeDetails().model_dump(), **values})


@pytest.mark.parametrize(("outcome_type", "external_id", "given", "expected"), CASES)
def test_each_type_records_its_own_identifier_and_details(
    outcome_type: OutcomeType, external_id: str, given: dict[str, Any], expected: tuple[str, dict[str, Any]] | str
) -> None:
    if isinstance(expected, str):
        with pytest.raises(InvalidOutcomeDetails) as refused:
            check_outcome_details(outcome_type, external_id, _details(given))
        assert refused.value.field == expected
        assert str(refused.value).startswith(refused.value.option + ": ")
        return
    identifier, details = check_outcome_details(outcome_type, external_id, _details(given))
    assert (identifier, details) == (expected[0], OutcomeDetails(**expected[1]))


def test_a_refusal_names_the_option_and_the_expected_form() -> None:
    with pytest.raises(ValueError, match=r"^--id: '10-21-0123456' is not valid: .*10-YYYY-NNNNNNN, e\.g\. 10-2021"):
        check_outcome_details(OutcomeType.PATENT_APPLICATION, "10-21-0123456")
    with pytest.raises(ValueError, match=r"^--journal: a paper needs its journal: give --journal$"):
        check_outcome_details(OutcomeType.PAPER, "10.1038/x")
    with pytest.raises(ValueError, match=r"^--contract-date: a technology transfer needs its contract date"):
        check_outcome_details(OutcomeType.TECHNOLOGY_TRANSFER, "", _details({"counterparty": "A", "amount": 1}))
    with pytest.raises(ValueError, match=r"^--licensee: a paper records no licensee; leave --licensee out$"):
        check_outcome_details(OutcomeType.PAPER, "10.1038/x", _details({"venue": "N", "counterparty": "A"}))
    with pytest.raises(ValueError, match=r"^--country: 'ZZ' is not a country; give its ISO 3166 two-letter code"):
        check_outcome_details(OutcomeType.PATENT_APPLICATION, "X1", _details({"country": "ZZ"}))


def test_the_table_lists_every_outcome_type_and_only_known_fields() -> None:
    table = outcome_rules()
    assert set(table["types"]) == {type_key(t) for t in OutcomeType if t is not OutcomeType.NONE}
    assert list(table["fields"]) == ["externalId", "venue", "country", "counterparty", "date", "amount", "sciIndexed"]
    assert set(FIELDS) == set(table["fields"])
    for name, used in table["types"].items():
        assert set(used) <= set(FIELDS), name
        assert "externalId" in used, name


def test_the_tables_patterns_are_the_syntax_javascript_shares() -> None:
    """No Python-only constructs (named groups, inline flags, \\A \\Z, possessive or atomic groups), and
    replacements in the $1 form, so that `new RegExp(pattern)` in the page means the same."""
    python_only = re.compile(r"\(\?P|\(\?[aiLmsux]|\\[AZ]|\(\?>|\*\+|\+\+|\?\+")
    for used in outcome_rules()["types"].values():
        for spec in used.values():
            patterns = [rule["pattern"] for rule in spec.get("rules", [])]
            patterns += [pattern for pattern, _ in spec.get("rewrite", [])]
            for pattern in patterns:
                assert not python_only.search(pattern), pattern
            for _, replacement in spec.get("rewrite", []):
                assert "\\" not in replacement, replacement


def test_the_tables_country_list_is_pycountrys() -> None:
    assert outcome_rules()["countries"] == iso_countries()
    assert "KR" in iso_countries() and "KP" in iso_countries()


def test_fields_of_a_type_say_what_is_required_with_the_types_option() -> None:
    used = {f.field: (f.required, f.option) for f in fields_of(OutcomeType.PAPER)}
    assert used == {
        "externalId": (True, "--id"), "venue": (True, "--journal"), "date": (False, "--date"),
        "sciIndexed": (False, "--sci"),
    }  # fmt: skip
    transfer = {f.field: f.required for f in fields_of(OutcomeType.TECHNOLOGY_TRANSFER)}
    assert transfer == {"externalId": False, "counterparty": True, "date": True, "amount": True}


def _vector(case: Case) -> dict[str, Any]:
    outcome_type, external_id, given, expected = case

    def plain(values: dict[str, Any]) -> dict[str, Any]:
        details = _details(values)
        return {"venue": details.venue, "country": details.country, "counterparty": details.counterparty,
                "date": int(details.date.timestamp()) if details.date else 0, "amount": str(details.amount),
                "sciIndexed": details.sci_indexed}  # fmt: skip

    given_plain = plain(given)
    vector: dict[str, Any] = {"type": type_key(outcome_type), "externalId": external_id, "given": given_plain}
    if isinstance(expected, str):
        vector["refused"] = expected
    else:
        vector["externalIdRecorded"] = expected[0]
        vector["detailsRecorded"] = plain(expected[1])
    return vector


def test_the_shared_vectors_are_these_cases() -> None:
    """The browser runs tests/domain/vectors/outcome_details.json against outcome-details.js; it must hold
    exactly these cases (amounts as decimal strings, dates as Unix seconds, 0 for none)."""
    vectors = {"about": "Cases of registry/domain/outcome_details.py, written by tests/domain/test_outcome_details.py: "
               "`refused` names the field refused; otherwise the identifier and details recorded.",
               "cases": [_vector(case) for case in CASES]}  # fmt: skip
    if os.environ.get("RND_WRITE_VECTORS"):
        VECTORS.write_text(json.dumps(vectors, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert json.loads(VECTORS.read_text(encoding="utf-8")) == vectors
