"""What identifies an outcome of each type, and how it is checked: a paper's DOI and journal, a patent's
KIPO (or foreign) number and country, software's copyright registration number, a technology transfer's
contract date, licensee and fee, and so on.

The rules are data, `outcome_details.json` beside this module, so that the workspace's scripts load the very
same table (its `about` says how to read it); `check_outcome_details` applies it and gives back the
identifier and details as they are recorded (a DOI without its https://doi.org/ prefix, a KIPO number with
its dashes, the country a Korean number implies). Country codes are checked against pycountry's ISO 3166-1
list, which the table carries too for the browser (a test keeps the two equal).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from registry.domain.enums import OutcomeType
from registry.domain.records import OutcomeDetails
from registry.errors import RegistryError

RULES_FILE = Path(__file__).with_name("outcome_details.json")
#: The fields of the table, in the order they are checked (the country first: rules depend on it).
FIELDS = ("country", "externalId", "venue", "counterparty", "date", "amount", "sciIndexed")
_ATTRIBUTES = {"externalId": "external_id", "sciIndexed": "sci_indexed"}


class InvalidOutcomeDetails(RegistryError, ValueError):
    """An outcome's identifier or a detail is missing, not used by its type, or not in the expected form;
    `field` names it as the table does (`externalId`, `venue`, ...) and `option` as the CLI does."""

    def __init__(self, outcome_type: OutcomeType, field: str, option: str, problem: str) -> None:
        self.outcome_type = outcome_type
        self.field = field
        self.option = option
        self.problem = problem
        super().__init__(f"{option}: {problem}")


def type_key(outcome_type: OutcomeType) -> str:
    """The outcome type as the table and the CLI spell it: `patent-application`."""
    return outcome_type.name.lower().replace("_", "-")


@cache
def outcome_rules() -> dict[str, Any]:
    """The table, as `outcome_details.json` holds it."""
    rules: dict[str, Any] = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    return rules


def iso_countries() -> list[str]:
    """Every ISO 3166-1 alpha-2 code, from pycountry."""
    return sorted(country.alpha_2 for country in pycountry.countries)


@dataclass(frozen=True)
class FieldUse:
    """How one outcome type uses one field."""

    field: str
    required: bool
    label: str
    option: str


def fields_of(outcome_type: OutcomeType) -> list[FieldUse]:
    """The fields `outcome_type` uses, in checking order, each with its label and CLI option."""
    table = outcome_rules()
    used = table["types"].get(type_key(outcome_type), {})
    found = []
    for field in FIELDS:
        if field in used:
            spec = {**table["fields"][field], **used[field]}
            found.append(FieldUse(field, bool(spec.get("required")), spec["label"]["en"], spec["option"]))
    return found


def check_outcome_details(
    outcome_type: OutcomeType, external_id: str, details: OutcomeDetails | None = None
) -> tuple[str, OutcomeDetails]:
    """The identifier and details of an outcome of `outcome_type` as they are to be recorded (trimmed,
    normalised, defaults filled in), or `InvalidOutcomeDetails` (a `ValueError`) naming the first field that
    is missing, not used by the type, or not in the form the type expects, and the form it expects."""
    if outcome_type is OutcomeType.NONE:
        raise InvalidOutcomeDetails(outcome_type, "outcomeType", "--type", "an outcome needs a type")
    table = outcome_rules()
    used: dict[str, Any] = table["types"][type_key(outcome_type)]
    given = details or OutcomeDetails()
    values: dict[str, Any] = {
        "externalId": external_id,
        "venue": given.venue,
        "country": given.country,
        "counterparty": given.counterparty,
        "date": given.date,
        "amount": given.amount,
        "sciIndexed": given.sci_indexed,
    }
    checked: dict[str, Any] = {}
    for field in FIELDS:
        common = table["fields"][field]
        spec = {**common, **used.get(field, {})}
        option = spec["option"]
        value = values[field]
        if isinstance(value, str):
            value = value.strip()
        if field not in used:
            if not _empty(value):
                raise InvalidOutcomeDetails(
                    outcome_type, field, option,
                    f"{_article(type_key(outcome_type))} records no {common['label']['en']}; leave {option} out",
                )  # fmt: skip
            checked[field] = value
            continue
        if _empty(value) and "default" in spec:
            value = spec["default"]
        if _empty(value):
            if spec.get("required"):
                raise InvalidOutcomeDetails(
                    outcome_type, field, option,
                    f"{_article(type_key(outcome_type))} needs its {spec['label']['en']}: give {option}",
                )  # fmt: skip
            checked[field] = value
            continue
        checked[field] = _check_value(outcome_type, field, spec, value, checked.get("country", ""))
    return checked["externalId"], OutcomeDetails(
        venue=checked["venue"],
        country=checked["country"],
        counterparty=checked["counterparty"],
        date=checked["date"],
        amount=checked["amount"],
        sci_indexed=checked["sciIndexed"],
    )


def _check_value(outcome_type: OutcomeType, field: str, spec: dict[str, Any], value: Any, country: str) -> Any:
    option, label = spec["option"], spec["label"]["en"]
    kind = spec["kind"]
    if kind == "country":
        code = str(value).upper()
        offices: dict[str, str] = outcome_rules()["patentOffices"] if spec.get("offices") else {}
        if pycountry.countries.get(alpha_2=code) is None and code not in offices:
            also = f", or a patent office ({', '.join(offices)})" if offices else ""
            raise InvalidOutcomeDetails(
                outcome_type, field, option,
                f"{value!r} is not a country; give its ISO 3166 two-letter code, e.g. KR, US, JP{also}",
            )  # fmt: skip
        return code
    if kind == "won":
        if value < spec.get("min", 0):
            raise InvalidOutcomeDetails(outcome_type, field, option, f"the {label} must be at least {spec['min']} won")
        return value
    if kind in ("date", "flag"):
        return value
    text = str(value)
    for pattern, replacement in spec.get("rewrite", []):
        text = re.sub(pattern, _python_replacement(replacement), text, flags=re.IGNORECASE)
    if spec.get("case") == "upper":
        text = text.upper()
    elif spec.get("case") == "lower":
        text = text.lower()
    if len(text) > spec["maxLength"]:
        raise InvalidOutcomeDetails(
            outcome_type, field, option, f"the {label} is {len(text)} characters long; at most {spec['maxLength']}"
        )
    for rule in spec.get("rules", []):
        if "country" in rule and country not in rule["country"]:
            continue
        if "notCountry" in rule and country in rule["notCountry"]:
            continue
        if re.fullmatch(rule["pattern"], text) is None:
            raise InvalidOutcomeDetails(outcome_type, field, option, f"{value!r} is not valid: {rule['message']['en']}")
        break
    return text


def _python_replacement(replacement: str) -> str:
    """A JavaScript replacement (`$1-$2`) as `re.sub` writes it (`\\g<1>-\\g<2>`)."""
    return re.sub(r"\$([0-9])", r"\\g<\1>", replacement.replace("\\", "\\\\"))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value is False or value == 0


def _article(words: str) -> str:
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words.replace('-', ' ')}"
