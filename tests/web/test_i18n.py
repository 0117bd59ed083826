"""The two message catalogues: the same keys, a label for every enum value, and every key the
templates, page modules and scripts ask for; the language comes from `?lang=`, then the cookie."""

from __future__ import annotations

import re
from enum import IntEnum
from typing import get_args

import pytest
from starlette.requests import Request

from registry.api.schemas.names import name_of
from registry.api.schemas.verification import LiveCheck
from registry.domain.enums import (
    AnchorKind,
    Grade,
    IpStatus,
    MilestoneStatus,
    OutcomeType,
    ProgramStatus,
    ProjectStatus,
    ReportStatus,
)
from registry.web.i18n import Language, MessageMissing, Translator, catalogue, requested_language
from registry.web.rendering import NAVIGATION, TEMPLATES_DIR

WEB_DIR = TEMPLATES_DIR.parent
ENUM_GROUPS: dict[str, type[IntEnum]] = {
    "program_status": ProgramStatus,
    "project_status": ProjectStatus,
    "milestone_status": MilestoneStatus,
    "outcome_type": OutcomeType,
    "ip_status": IpStatus,
    "report_status": ReportStatus,
    "grade": Grade,
    "anchor_kind": AnchorKind,
}
REPORT_ACTIONS = ["committed", "reported", "revealed", "verified", "disputed"]


def test_korean_and_english_have_the_same_keys() -> None:
    korean, english = catalogue(Language.KOREAN), catalogue(Language.ENGLISH)
    assert sorted(set(korean) - set(english)) == []
    assert sorted(set(english) - set(korean)) == []


@pytest.mark.parametrize("language", list(Language))
def test_every_message_is_written_and_names_the_same_values_in_both_languages(language: Language) -> None:
    messages, other = catalogue(language), catalogue(language.other)
    for key, text in messages.items():
        assert text.strip(), key
        assert set(re.findall(r"\{(\w+)\}", text)) == set(re.findall(r"\{(\w+)\}", other[key])), key


@pytest.mark.parametrize("language", list(Language))
def test_every_enum_value_and_report_action_has_a_label(language: Language) -> None:
    messages = catalogue(language)
    wanted = [f"enum.{group}.{name_of(member)}" for group, enum in ENUM_GROUPS.items() for member in enum]
    wanted += [f"enum.report_action.{action}" for action in REPORT_ACTIONS]
    assert [key for key in wanted if key not in messages] == []


def _keys_used() -> set[str]:
    """Every message key the portal's templates, page modules and scripts ask for by name."""
    used: set[str] = set()
    for template in TEMPLATES_DIR.glob("*.html"):
        used |= set(re.findall(r"""\bt\(\s*['"]([\w.\-]+)['"]""", template.read_text(encoding="utf-8")))
    for module in WEB_DIR.rglob("*.py"):
        used |= set(re.findall(r"""['"](errors\.\w+)['"]""", module.read_text(encoding="utf-8")))
    scripts = {"verify.js": "verify.", "dashboard.js": "chart."}
    for script, prefix in scripts.items():
        text = (WEB_DIR / "static" / script).read_text(encoding="utf-8")
        used |= {prefix + key for key in re.findall(r"""\bsay\(\s*"(\w+)"\s*[,)]""", text)}
        used |= set(re.findall(r"""records\["(record\.\w+)"\]""", text))
    # The workspace's scripts say `workspace.` messages by their dotted keys (static/workspace/words.js).
    for workspace_script in (WEB_DIR / "static" / "workspace").glob("*.js"):
        text = workspace_script.read_text(encoding="utf-8")
        # forms.js says its own messages under `workspace.forms.`.
        prefix = "workspace.forms." if workspace_script.name == "forms.js" else "workspace."
        used |= {prefix + key for key in re.findall(r"""\bsay\(\s*"([\w.]+)"\s*[,)]""", text)}
    used |= {key for _, key in NAVIGATION}
    # The verification script names the contract's answer by its status.
    statuses = get_args(LiveCheck.model_fields["status"].annotation)
    used |= {"verify.live_" + status.replace("-", "_") for status in statuses}
    return used


def test_every_key_the_portal_asks_for_is_in_the_catalogue() -> None:
    used = _keys_used()
    assert len(used) > 150  # the scan found the templates and scripts
    assert sorted(used - set(catalogue(Language.KOREAN))) == []


def test_a_missing_message_is_an_error_naming_the_key_but_an_unknown_enum_name_shows_as_itself() -> None:
    translate = Translator(Language.ENGLISH)
    with pytest.raises(MessageMissing, match=r"'nav\.nowhere'"):
        translate("nav.nowhere")
    assert translate.enum("report_action", "reopened") == "reopened"
    assert translate("project.name", id=7) == "Project 7"
    assert Translator(Language.KOREAN)("project.name", id=7) == "과제 7"


def _request(query: str = "", cookie: str | None = None) -> Request:
    headers = [(b"cookie", f"lang={cookie}".encode())] if cookie else []
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": query.encode(), "headers": headers})


@pytest.mark.parametrize(
    ("query", "cookie", "expected"),
    [
        ("", None, (Language.KOREAN, False)),
        ("lang=en", None, (Language.ENGLISH, True)),
        ("lang=ko", "en", (Language.KOREAN, True)),
        ("", "en", (Language.ENGLISH, False)),
        ("lang=fr", "en", (Language.ENGLISH, False)),
        ("lang=fr", "xx", (Language.KOREAN, False)),
    ],
)
def test_the_language_is_the_asked_one_then_the_kept_one_then_korean(
    query: str, cookie: str | None, expected: tuple[Language, bool]
) -> None:
    assert requested_language(_request(query, cookie)) == expected
