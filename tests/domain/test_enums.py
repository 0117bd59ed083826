"""The Python enums of `registry/domain/enums.py` mirror the Solidity enums of `contracts/Common.sol`.

The Solidity side is read from the compiler's AST, not parsed by hand, so a member added, removed or
reordered in either language fails here before it makes the client, the indexer or the portal
misread a status byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import IntEnum
from typing import Any

import pytest

from registry.chain.compiler import BuildConfig, run_solc, standard_input
from registry.domain.enums import SOLIDITY_ENUMS

COMMON = "contracts/Common.sol"
_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def upper_snake(camel: str) -> str:
    """`PatentApplication` -> `PATENT_APPLICATION`: a Solidity member name as Python spells it."""
    return _WORD_BOUNDARY.sub("_", camel).upper()


def enum_definitions(node: Any) -> Iterator[dict[str, Any]]:
    """Every `EnumDefinition` node under an AST node, at any depth (file level or inside a contract)."""
    if isinstance(node, dict):
        if node.get("nodeType") == "EnumDefinition":
            yield node
        for child in node.values():
            yield from enum_definitions(child)
    elif isinstance(node, list):
        for child in node:
            yield from enum_definitions(child)


@pytest.fixture(scope="module")
def asts() -> dict[str, dict[str, Any]]:
    """The compiler's AST of every source unit, by unit name."""
    config = BuildConfig.load()
    input_json = standard_input(config, with_ast=True)
    # Only the AST is read here: asking for nothing else lets solc stop after analysis instead of
    # generating bytecode (seconds instead of most of a minute through solcjs).
    input_json["settings"]["outputSelection"] = {"*": {"": ["ast"]}}
    output = run_solc(config, input_json)
    return {unit: source["ast"] for unit, source in output["sources"].items()}


@pytest.fixture(scope="module")
def solidity_enums(asts: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """The enums declared in Common.sol: name -> member names in declaration order."""
    found: dict[str, list[str]] = {}
    for definition in enum_definitions(asts[COMMON]):
        assert definition["name"] not in found, f"enum {definition['name']} declared twice in {COMMON}"
        found[definition["name"]] = [member["name"] for member in definition["members"]]
    return found


@pytest.mark.parametrize(
    ("camel", "snake"),
    [
        ("None", "NONE"),
        ("PatentApplication", "PATENT_APPLICATION"),
        ("ClawedBack", "CLAWED_BACK"),
        ("VeryPoor", "VERY_POOR"),
        ("IpEvidence", "IP_EVIDENCE"),
        ("NFTLicence", "NFT_LICENCE"),
        ("Iso9001Certified", "ISO9001_CERTIFIED"),
    ],
)
def test_member_names_convert_from_camel_case_to_upper_snake(camel: str, snake: str) -> None:
    assert upper_snake(camel) == snake


def test_common_sol_declares_enums(solidity_enums: dict[str, list[str]]) -> None:
    # Guards the walk itself: an AST format change that hid every enum would pass everything below.
    assert len(solidity_enums) >= 8
    assert solidity_enums["MilestoneStatus"] == ["None", "Planned", "Submitted", "Approved", "Rejected"]


@pytest.mark.parametrize("name", sorted(SOLIDITY_ENUMS))
def test_python_enum_has_the_solidity_members_in_the_same_order(
    name: str, solidity_enums: dict[str, list[str]]
) -> None:
    assert name in solidity_enums, f"registry.domain.enums mirrors {name}, but {COMMON} declares no such enum"
    python_enum: type[IntEnum] = SOLIDITY_ENUMS[name]
    expected = [upper_snake(member) for member in solidity_enums[name]]
    assert [member.name for member in python_enum] == expected
    # A Solidity enum value is its position, which is what the ABI carries.
    assert [member.value for member in python_enum] == list(range(len(expected)))


def test_python_enum_is_registered_under_its_own_class_name() -> None:
    for name, python_enum in SOLIDITY_ENUMS.items():
        assert python_enum.__name__ == name


def test_every_solidity_enum_has_a_python_twin(solidity_enums: dict[str, list[str]]) -> None:
    assert sorted(solidity_enums) == sorted(SOLIDITY_ENUMS)


def test_every_enum_of_the_contracts_is_declared_in_common_sol(asts: dict[str, dict[str, Any]]) -> None:
    # An enum declared in an interface or module would escape the twin check above.
    elsewhere = {
        f"{unit}:{definition['name']}"
        for unit, ast in asts.items()
        if unit.startswith("contracts/") and unit != COMMON
        for definition in enum_definitions(ast)
    }
    assert elsewhere == set()
