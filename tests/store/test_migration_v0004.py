"""Migration 0004 upgrades a database indexed before contracts 1.1.0 in place: a registry that never emits
the new events keeps its rows, the new columns filled as its contracts behaved; and it downgrades back
to the schema of 0003."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, MetaData, inspect, select, text

from registry.domain.enums import SanctionStatus
from registry.store.engine import current_revision, migration_config, open_engine, upgrade
from registry.store.schema import audits, metadata, programs, projects
from tests.helpers.database import Databases

TX = b"\x01" * 32
STAMP = {"created_block_number": 5, "created_log_index": 0, "created_transaction_hash": TX,
         "updated_block_number": 5, "updated_log_index": 0, "updated_transaction_hash": TX}  # fmt: skip
ADMIN = "0x" + "11" * 20


@pytest.fixture
def old_engine(databases: Databases) -> Iterator[Engine]:
    """A database at revision 0003, as the indexer before 1.1.0 left it."""
    engine = open_engine(databases.new())
    upgrade(engine, "0003")
    yield engine
    engine.dispose()


def _old_tables(engine: Engine) -> MetaData:
    old = MetaData()
    old.reflect(engine)
    return old


def _fill_old_registry(engine: Engine) -> None:
    """A program with two projects: one with two approved milestones and one rejected, clawed back; an
    evaluation with a restriction, one whose restriction was already past, and one with no sanction."""
    old = _old_tables(engine)
    won = 29 if engine.dialect.name == "sqlite" else None

    def amount(value: int) -> str | int:  # reflected on SQLite as text: written padded, as the indexer did
        return f"{value:0{won}d}" if won else value

    with engine.begin() as connection:
        connection.execute(old.tables["programs"].insert().values(
            program_id=1, name="R&D", year=2021, budget=amount(10**9), per_project_cap=amount(10**8),
            granted=amount(2 * 10**8), project_count=2, status=1, field="", metadata_hash=TX, metadata_uri="",
            created_by=ADMIN, **STAMP))  # fmt: skip
        for project_id in (1, 2):
            connection.execute(old.tables["projects"].insert().values(
                project_id=project_id, program_id=1, company_id=TX, status=4 if project_id == 1 else 1,
                amount=amount(10**8), start_date=1, end_date=2, plan_hash=TX, milestone_count=3,
                planned_tranches=amount(9 * 10**7), registered_by=ADMIN, **STAMP))  # fmt: skip
        for index, status in enumerate((3, 3, 4)):
            connection.execute(old.tables["milestones"].insert().values(
                project_id=1, milestone_index=index, status=status, attempts=1, due_date=3,
                tranche=amount(3 * 10**7 + index), description_hash=TX, planned_by=ADMIN, **STAMP))  # fmt: skip
        for audit_id, clawback, until in ((1, 5 * 10**7, None), (2, 0, 2000), (3, 0, 500), (4, 0, None)):
            connection.execute(old.tables["audits"].insert().values(
                audit_id=audit_id, project_id=1, grade=4, clawback_amount=amount(clawback), restricted_until=until,
                recorded_at=1000, auditor=ADMIN, findings_hash=TX, **STAMP))  # fmt: skip


def test_a_registry_before_1_1_0_keeps_its_rows_and_gets_the_new_columns_as_its_contracts_behaved(
    old_engine: Engine,
) -> None:
    _fill_old_registry(old_engine)

    upgrade(old_engine)

    with old_engine.connect() as connection:
        sanctions = dict(connection.execute(select(audits.c.audit_id, audits.c.sanction_status)).all())
        confirmations = dict(connection.execute(select(audits.c.audit_id, audits.c.confirmations)).all())
        funds = {r.project_id: (r.paid, r.returned) for r in connection.execute(select(projects))}
        program = connection.execute(select(programs)).mappings().one()
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    # Before 1.1.0 a sanction took effect when recorded; a restriction already past restricted nothing.
    assert sanctions == {1: SanctionStatus.IN_EFFECT, 2: SanctionStatus.IN_EFFECT, 3: SanctionStatus.NONE,
                         4: SanctionStatus.NONE}  # fmt: skip
    assert confirmations == {1: 1, 2: 1, 3: 0, 4: 0}
    assert funds == {1: (6 * 10**7 + 1, 0), 2: (0, 0)}
    assert program["granted"] == 2 * 10**8 and program["follow_up_years"] is None
    assert differences == []


def test_a_registry_whose_new_events_were_stored_unprojected_is_emptied_to_be_read_again(old_engine: Engine) -> None:
    _fill_old_registry(old_engine)
    old = _old_tables(old_engine)
    with old_engine.begin() as connection:
        connection.execute(
            old.tables["indexer_state"]
            .insert()
            .values(id=1, chain_id=1, grant_registry=ADMIN, deploy_block=5, indexed_block=9, indexed_block_hash=None)
        )
        connection.execute(old.tables["blocks"].insert().values(block_number=5, block_hash=TX, timestamp=1))
        connection.execute(
            old.tables["raw_events"]
            .insert()
            .values(
                chain_id=1,
                block_number=5,
                log_index=0,
                block_hash=TX,
                transaction_hash=TX,
                transaction_index=0,
                address=ADMIN,
                topic0=TX,
                topic1=None,
                topic2=None,
                topic3=None,
                data=b"",
                event="CompanyNamed",
            )
        )

    upgrade(old_engine)

    with old_engine.connect() as connection:
        for name in inspect(old_engine).get_table_names():
            if name != "alembic_version":
                assert connection.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one() == 0, name


def test_downgrading_returns_to_the_schema_of_0003(old_engine: Engine, databases: Databases) -> None:
    before = {name: sorted(c["name"] for c in inspect(old_engine).get_columns(name))
              for name in inspect(old_engine).get_table_names()}  # fmt: skip
    upgrade(old_engine)
    with old_engine.begin() as connection:
        command.downgrade(migration_config(connection), "0003")
    after = {name: sorted(c["name"] for c in inspect(old_engine).get_columns(name))
             for name in inspect(old_engine).get_table_names()}  # fmt: skip
    assert after == before
    assert current_revision(old_engine) == "0003"
