"""Speed of the public API against a naive baseline, measured in the same run on the same database.

Builds a SQLite database of more than 1,000,000 indexed records: 1,000 programs, 550,000 projects,
300,000 milestones, 200,000 anchored documents each cited by a milestone submission (anchor book,
evidence reference and raw event), and 1,000 Merkle batches of 100 documents with their members.
The rows are synthesized straight into the record tables with the store's bulk insert, consistent
with the schema (the indexer's own rows for such records), rather than mined as a million
transactions on a chain and indexed: that would take hours and measure the indexer, which
`make index-benchmark` does.

Beside it, by default, an anvil node (pinned to core 1 with the load generator) with the registry
deployed and filled for real: rounds of grant activity (`registry.chain.devload`: programs, projects,
milestone submissions citing their evidence, outcomes, reports, documents anchored one by one with
`anchorDocument`) and Merkle batches anchored with `anchorBatch`, their manifests kept in the document
store; then `rnd-registry index` copies that chain into a database of its own, and lists the batches'
members from their manifests. Then the node mines a block a second, like a QBFT network.

Why a database of its own, not the synthetic rows' database: those rows claim blocks 1 to 1,503 with
made-up block hashes and an indexer checkpoint for a chain that does not exist. Run on it, the
indexer would find its checkpoint's block hash is not the chain's and unwind the rows as a
reorganization, as it should; and rows saying "anchored" about hashes the chain has never seen are a
state a real registry never holds (the live check calls it "disagrees"). So the live check is timed
on the chain's own database, a few thousand records; "verify, no live check" is measured on both
databases, which shows what the size of the database costs and what asking the node costs.

Each server is `rnd-registry serve` (one uvicorn worker, uvloop and httptools, pinned to core 0 with
`taskset -c 0`), loaded by `wrk` pinned to core 1, a Lua script spreading requests over random ids
and document hashes:

- record lookup: `GET /api/v1/projects/{id}` (the 1.5M-record database);
- verify by hash, `GET /api/v1/verify/{sha256}`, with its live re-check (`anchorOf` and one
  `verifyBatchMember` per batch, at the head) on the chain's database: over documents anchored on the
  chain (anchored documents and batch members, two to one), over hashes anchored nowhere (the node
  is asked again at each block), over a mix (two parts anchored documents, one part batch
  members, one part anchored nowhere), and one document asked by everyone. An answer is kept
  (registry/api/kept_answers.py) while the database stays the same: one whose findings are final
  (`liveCheck.final`: anchored, and nothing changes that) across heads, any other for its head only;
  the mix again with
  `--workers 2` (both cores, shared with wrk and anvil); the mix again, as "verify, no live check",
  from a server with no deployment manifest, whose answers say the live check is unavailable: the
  difference is what asking the node costs;
  and "verify, no live check" on the 1.5M-record database, over its synthetic documents and batch
  members, four to one. Before the live-check rows, every anchored document is verified once (a
  registry in use has answered about its documents before), so those rows show the steady state:
  what is final on the chain is kept, and only what may change is asked at each block. With
  `--no-chain` there is no node and no chain database: "verify by hash" is the 1.5M-record
  database's, its live check unavailable;
- listing page 1 and page 10,000 of `GET /api/v1/projects` (50 per page), the cursor of page 10,000
  found by following `nextCursor` (500 at a time, then 50, which lands on the same keyset position),
  whose items the server keeps while the database stays the same (registry/api/list_answers.py), and
  random pages, mostly asked once, whose items it builds;
- the CSV export of all 550,000 projects, downloaded whole: rows/s and the server's memory before and
  at most during it (an export streams, so it should hardly grow).

The same, in the same run and on the same databases, against a naive baseline app defined below:
SQLAlchemy ORM objects turned into dicts, no response models, sync routes in the threadpool, offset
pagination, no live check. It prints requests per second, p50/p99 latency and the server's CPU time
per answer (all its processes; which, unlike the rate, does not depend on what else the machine is
doing) of each, and the ratios; and, for scale, a bare FastAPI point read from SQLite served the
same way: what this machine allows at this moment (the cores may be shared).

Targets: record lookup and verify-by-hash (with its live check, on one worker) at least 4,000
requests/s with p99 at most 15 ms; a page of 50 at least 2,000 requests/s, page 1 and page 10,000 in
the same time.

Run: .venv/bin/python scripts/api_benchmark.py [--duration 10] [--connections 32] [--no-chain] [--rebuild]
(`make api-benchmark`; wrk comes from Debian's packages: apt-get install -y wrk).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from registry.chain.deployment import DeploymentManifest  # noqa: E402
from registry.domain.enums import AnchorKind, MilestoneStatus, ProgramStatus, ProjectStatus  # noqa: E402
from registry.evidence.merkle import MerkleTree  # noqa: E402
from registry.store import schema  # noqa: E402
from registry.store.bulk import insert_rows  # noqa: E402
from registry.store.engine import open_engine, upgrade  # noqa: E402
from registry.store.folding import folded  # noqa: E402

PROGRAMS = 1_000
PROJECTS = 550_000
MILESTONES = 300_000
DOCUMENTS = 200_000
BATCHES = 1_000
BATCH_SIZE = 100
PAGE = 50
FAR_PAGE = 10_000
CHAIN_ID = 31337
REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
ACCOUNT = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
RATE_TARGET = 4_000
P99_TARGET_MS = 15.0
SERVER_CORE, LOAD_CORE = "0", "1"
BOTH_CORES = "0,1"
#: The chain filled for real: rounds of grant activity, then Merkle batches of invoices.
CHAIN_ROUNDS = 3
CHAIN_PROJECTS = 100
CHAIN_BATCHES = 20
CHAIN_BATCH_SIZE = 50
_CHUNK = 50_000


# ---- the database ---------------------------------------------------------------------------------


def document_hash(number: int) -> bytes:
    return hashlib.sha256(f"benchmark document {number}".encode()).digest()


def batch_document_hash(batch: int, number: int) -> bytes:
    return hashlib.sha256(f"benchmark batch {batch} document {number}".encode()).digest()


class _Events:
    """Hands out (block number, log index, transaction hash) for synthesized events, 1,000 per block."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> tuple[int, int, bytes]:
        number = self.count
        self.count += 1
        return 1 + number // 1000, number % 1000, hashlib.sha256(b"tx%d" % number).digest()

    @property
    def blocks(self) -> int:
        return 1 + (self.count - 1) // 1000


def _created(events: _Events) -> dict[str, Any]:
    block, log, tx = events.next()
    return {
        "created_block_number": block, "created_log_index": log, "created_transaction_hash": tx,
        "updated_block_number": block, "updated_log_index": log, "updated_transaction_hash": tx,
    }  # fmt: skip


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def build_database(path: Path) -> int:
    """Writes the benchmark database at `path`; returns the number of records."""
    path.unlink(missing_ok=True)
    engine = open_engine(f"sqlite:///{path}")
    upgrade(engine)
    events = _Events()
    now = int(time.time())
    amount = 100_000_000
    records = 0

    def write(table: schema.Table, rows: Iterator[dict[str, Any]]) -> None:
        nonlocal records
        for chunk in _chunks(rows):
            with engine.begin() as connection:
                insert_rows(connection, table, chunk)
            records += len(chunk)
            print(f"\r  {table.name}: {records:,} records so far", end="", file=sys.stderr, flush=True)

    write(schema.programs, ({
        "program_id": p, "name": f"Program {p} R&D사업", "year": 2020 + p % 5, "budget": amount * 1000,
        "per_project_cap": amount, "granted": amount * (PROJECTS // PROGRAMS), "project_count": PROJECTS // PROGRAMS,
        "status": int(ProgramStatus.OPEN), "field": "D.N.A.", "metadata_hash": document_hash(-p),
        "metadata_uri": "https://example.org/program", "created_by": ACCOUNT, "follow_up_years": 5,
        "objection_days": 30, "max_restriction_days": 1825, "max_clawback_percent": 100, **_created(events),
    } for p in range(1, PROGRAMS + 1)))  # fmt: skip
    # Every company published by name, so the lists measured join names in as they serve them.
    write(schema.companies, ({
        "company_id": hashlib.sha256(b"c%d" % c).digest(), "name": f"(주)벤치마크{c} Benchmark {c}",
        "name_folded": folded(f"(주)벤치마크{c} Benchmark {c}"), **_created(events),
    } for c in range(5000)))  # fmt: skip
    write(schema.projects, ({
        "project_id": i, "program_id": 1 + (i - 1) % PROGRAMS,
        "company_id": hashlib.sha256(b"c%d" % (i % 5000)).digest(), "status": int(ProjectStatus.ACTIVE),
        "amount": amount, "start_date": now - 100 * 86400, "end_date": now + 200 * 86400,
        "plan_hash": document_hash(-PROGRAMS - i), "milestone_count": 2 if i * 2 <= MILESTONES else 0,
        "planned_tranches": amount // 5 * 2 if i * 2 <= MILESTONES else 0, "registered_by": ACCOUNT,
        "paid": 0, "returned": 0, "target_papers": 1, "target_patents": 1, "target_sales": amount * 5,
        "target_investment": amount * 2, "target_jobs": 3, **_created(events),
    } for i in range(1, PROJECTS + 1)))  # fmt: skip
    write(schema.milestones, ({
        "project_id": 1 + m // 2, "milestone_index": 1 + m % 2, "status": int(MilestoneStatus.SUBMITTED), "attempts": 1,
        "due_date": now + (m % 90) * 86400, "tranche": amount // 5, "description_hash": document_hash(-10**7 - m),
        "planned_by": ACCOUNT, **_created(events),
    } for m in range(MILESTONES)))  # fmt: skip

    # A milestone submission citing (and anchoring) each document: the anchor book entry, the
    # evidence reference and the raw event share the event.
    cited = []
    for d in range(DOCUMENTS):
        block, log, tx = events.next()
        cited.append((d, block, log, tx))
    milestone_submitted = "0x" + hashlib.sha256(b"MilestoneSubmitted").hexdigest()  # a stand-in topic
    write(schema.raw_events, ({
        "chain_id": CHAIN_ID, "block_number": block, "log_index": log,
        "block_hash": hashlib.sha256(b"b%d" % block).digest(), "transaction_hash": tx, "transaction_index": log,
        "address": REGISTRY, "topic0": bytes.fromhex(milestone_submitted[2:]), "topic1": None, "topic2": None,
        "topic3": None, "data": b"", "event": "MilestoneSubmitted",
    } for d, block, log, tx in cited))  # fmt: skip
    write(schema.anchors, ({
        "document_hash": document_hash(d), "kind": int(AnchorKind.MILESTONE_EVIDENCE), "anchored_by": ACCOUNT,
        "timestamp": now - 50 * 86400 + block, "block_number": block, "log_index": log, "transaction_hash": tx,
    } for d, block, log, tx in cited))  # fmt: skip
    write(schema.evidence_references, ({
        "block_number": block, "log_index": log, "transaction_hash": tx, "position": 0,
        "document_hash": document_hash(d), "kind": int(AnchorKind.MILESTONE_EVIDENCE), "record_type": "milestone",
        "record_id": 1 + (d % MILESTONES) // 2,
        "milestone_index": 1 + d % 2, "actor": ACCOUNT, "anchoring": True,
    } for d, block, log, tx in cited))  # fmt: skip

    batch_rows, member_rows = [], []
    for b in range(BATCHES):
        documents = [batch_document_hash(b, n) for n in range(BATCH_SIZE)]
        tree = MerkleTree.build(documents)
        block, log, tx = events.next()
        batch_rows.append({
            "root": tree.root, "anchored_by": ACCOUNT, "timestamp": now - 40 * 86400 + block, "block_number": block,
            "log_index": log, "transaction_hash": tx, "leaf_count": tree.leaf_count,
            "manifest_hash": hashlib.sha256(b"manifest %d" % b).digest(),
        })  # fmt: skip
        for position, document in enumerate(tree.document_hashes):
            member_rows.append({
                "document_hash": document, "root": tree.root, "position": position,
                "path": f"batch-{b}/{documents.index(document)}.pdf", "proof": b"".join(tree.proof(document)),
            })  # fmt: skip
    write(schema.batches, iter(batch_rows))
    write(schema.batch_members, iter(member_rows))

    with engine.begin() as connection:
        insert_rows(connection, schema.blocks, [
            {"block_number": n, "block_hash": hashlib.sha256(b"b%d" % n).digest(), "timestamp": now - 50 * 86400 + n}
            for n in range(1, events.blocks + 1)
        ])  # fmt: skip
        connection.execute(schema.indexer_state.insert().values(
            id=1, chain_id=CHAIN_ID, grant_registry=REGISTRY, deploy_block=1, indexed_block=events.blocks,
            indexed_block_hash=hashlib.sha256(b"b%d" % events.blocks).digest(),
        ))  # fmt: skip
    raw = engine.raw_connection()
    try:
        # Outside any transaction, which a checkpoint cannot run in.
        raw.driver_connection.execute("ANALYZE")  # type: ignore[union-attr]
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
    finally:
        raw.close()
    engine.dispose()
    print(file=sys.stderr)
    return records


def verify_targets(path: Path) -> list[str]:
    """Hashes to verify: anchored documents and batch members, four to one."""
    rng = random.Random(5)
    hashes = [document_hash(rng.randrange(DOCUMENTS)).hex() for _ in range(40_000)]
    hashes += [batch_document_hash(rng.randrange(BATCHES), rng.randrange(BATCH_SIZE)).hex() for _ in range(10_000)]
    rng.shuffle(hashes)
    return hashes


def chain_targets(path: Path, work: Path) -> dict[str, Path]:
    """Hash lists for the chain's database: anchored on the chain (documents and batch members, two to
    one), anchored nowhere, and the mix (two parts documents, one part members, one part nowhere)."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        documents = [bytes(r[0]).hex() for r in connection.execute("SELECT document_hash FROM anchors")]
        members = [bytes(r[0]).hex() for r in connection.execute("SELECT document_hash FROM batch_members")]
    finally:
        connection.close()
    assert documents and members, (len(documents), len(members))
    rng = random.Random(13)
    nowhere = [hashlib.sha256(b"anchored nowhere %d" % i).hexdigest() for i in range(200_000)]
    lists = {
        "anchored": [rng.choice(documents) for _ in range(30_000)] + [rng.choice(members) for _ in range(15_000)],
        "nowhere": nowhere[:50_000],
        "mix": [rng.choice(documents) for _ in range(25_000)] + [rng.choice(members) for _ in range(12_500)]
        + nowhere[50_000:62_500],
    }  # fmt: skip
    files = {}
    for name, hashes in lists.items():
        rng.shuffle(hashes)
        files[name] = work / f"chain-{name}.txt"
        files[name].write_text("\n".join(hashes) + "\n")
    print(f"  the chain's database: {len(documents):,} anchored documents, {len(members):,} batch members",
          file=sys.stderr)  # fmt: skip
    return files


# ---- the naive baseline -----------------------------------------------------------------------------


def naive_app(database: Path) -> Any:
    """The API as a first draft would write it: ORM objects turned into dicts, no response models,
    sync routes (FastAPI runs them in its threadpool), a session per request, offset pagination."""
    from fastapi import FastAPI, HTTPException
    from sqlalchemy import select
    from sqlalchemy.orm import DeclarativeBase, Session

    class Base(DeclarativeBase):
        pass

    class ProjectRecord(Base):
        __table__ = schema.projects

    class AnchorRecord(Base):
        __table__ = schema.anchors

    class ReferenceRecord(Base):
        __table__ = schema.evidence_references

    class MemberRecord(Base):
        __table__ = schema.batch_members

    engine = open_engine(f"sqlite:///{database}")
    app = FastAPI()

    def plain(record: Any) -> dict[str, Any]:
        values = {}
        for column in record.__table__.columns:
            value = getattr(record, column.key)
            values[column.key] = "0x" + value.hex() if isinstance(value, bytes) else value
        return values

    @app.get("/projects/{project_id}")
    def project(project_id: int) -> Any:
        with Session(engine) as session:
            found = session.get(ProjectRecord, project_id)
            if found is None:
                raise HTTPException(404)
            return plain(found)

    @app.get("/projects")
    def projects(page: int = 1, size: int = PAGE) -> Any:
        with Session(engine) as session:
            query = select(ProjectRecord).order_by(ProjectRecord.project_id).offset((page - 1) * size).limit(size)
            return [plain(p) for p in session.scalars(query)]

    @app.get("/verify/{sha256}")
    def verify(sha256: str) -> Any:
        digest = bytes.fromhex(sha256.removeprefix("0x"))
        with Session(engine) as session:
            anchor = session.get(AnchorRecord, digest)
            references = session.scalars(select(ReferenceRecord).where(ReferenceRecord.document_hash == digest))
            members = session.scalars(select(MemberRecord).where(MemberRecord.document_hash == digest))
            return {
                "sha256": sha256,
                "anchored": anchor is not None,
                "anchor": plain(anchor) if anchor else None,
                "references": [plain(r) for r in references],
                "batches": [plain(m) for m in members],
            }

    return app


def bare_app(database: Path) -> Any:
    """For scale, not a baseline: the least a FastAPI point read from SQLite can cost on this machine
    now (one query on one connection, a dict back), measured in the same run."""
    import sqlite3

    from fastapi import FastAPI

    connection = sqlite3.connect(database, check_same_thread=False)
    app = FastAPI()

    @app.get("/projects/{project_id}")
    async def project(project_id: int) -> Any:
        row = connection.execute(
            "SELECT project_id, program_id, amount, status FROM projects WHERE project_id = ?", (project_id,)
        ).fetchone()
        return {"projectId": row[0], "programId": row[1], "amount": row[2], "status": row[3]}

    return app


def serve(app: Any, port: int) -> int:
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=port, loop="uvloop", http="httptools", access_log=False,
                log_level="warning")  # fmt: skip
    return 0


# ---- servers and load ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(
    command: list[str], env: dict[str, str], url: str, log: Path, cores: str = SERVER_CORE
) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        process = subprocess.Popen(["taskset", "-c", cores, *command], env=env, stdout=out, stderr=out,
                                   start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped at once; see {log}:\n{log.read_text()[-2000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return process
        except requests.RequestException:
            time.sleep(0.2)
    stop(process)
    raise SystemExit(f"the server did not answer {url} within 60 s; see {log}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def serving(
    command: list[str], env: dict[str, str], ready_path: str, log: Path, cores: str = SERVER_CORE
) -> Iterator[tuple[str, Any]]:
    """Runs `command` followed by a free port on `cores` (the server's core) until the block ends;
    yields the base URL and the process."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start([*command, str(port)], env, base + ready_path, log, cores)
    try:
        yield base, server
    finally:
        stop(server)


LUA_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format('WRK_RESULT {"requests": %d, "seconds": %.6f, "errors": %d, "p50": %d, "p99": %d}\\n',
    summary.requests, summary.duration / 1e6, errors, latency:percentile(50), latency:percentile(99)))
end
"""


def lua_random_ids(template: str, top: int) -> str:
    return (
        f"""
math.randomseed(7)
request = function()
  return wrk.format("GET", string.format("{template}", math.random(1, {top})))
end
"""
        + LUA_REPORT
    )


def lua_from_file(template: str, values: Path) -> str:
    return (
        f"""
local values = {{}}
for line in io.lines("{values}") do values[#values + 1] = line end
math.randomseed(11)
request = function()
  return wrk.format("GET", string.format("{template}", values[math.random(1, #values)]))
end
"""
        + LUA_REPORT
    )


def fixed_path(path: str) -> str:
    return (
        f"""
request = function()
  return wrk.format("GET", "{path}")
end
"""
        + LUA_REPORT
    )


def cpu_seconds(group: int) -> float:
    """User and system CPU time the processes of process group `group` (a server and its workers)
    have used so far (Linux's /proc)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[2]) == group:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def run_wrk(base: str, lua: str, work: Path, *, duration: int, connections: int, server: int) -> dict[str, Any]:
    script = work / f"load-{hashlib.sha256(lua.encode()).hexdigest()[:12]}.lua"
    script.write_text(lua)
    command = ["taskset", "-c", LOAD_CORE, "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
               "-s", str(script), base]  # fmt: skip
    used = cpu_seconds(server)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    used = cpu_seconds(server) - used
    line = next(line for line in output.splitlines() if line.startswith("WRK_RESULT "))
    found: dict[str, Any] = json.loads(line.removeprefix("WRK_RESULT "))
    found["rate"] = found["requests"] / found["seconds"]
    # What one answer costs the server's core, whatever else the machine was doing meanwhile.
    found["cpu_us"] = used / max(found["requests"], 1) * 1e6
    return found


def far_cursor(base: str) -> str:
    """The `cursor` of page 10,000 of 50, found by following `nextCursor`: pages of 500 up to item
    499,500, then of 50; a keyset cursor names the last item seen, so it is the same position."""
    session = requests.Session()
    cursor: str | None = None
    seen = 0
    target = (FAR_PAGE - 1) * PAGE
    while seen < target:
        size = 500 if target - seen >= 500 else PAGE
        params: dict[str, Any] = {"limit": size}
        if cursor is not None:
            params["cursor"] = cursor
        response = session.get(f"{base}/api/v1/projects", params=params, timeout=30)
        response.raise_for_status()
        body = response.json()
        seen += len(body["items"])
        cursor = body["nextCursor"]
        assert cursor is not None, f"the list ended after {seen} items"
    assert cursor is not None
    first = session.get(f"{base}/api/v1/projects", params={"cursor": cursor}, timeout=30).json()["items"][0]
    assert first["projectId"] == target + 1, first["projectId"]
    return cursor


def random_page_cursors(work: Path) -> Path:
    """Cursors of 50,000 pages starting at random projects: pages mostly asked once, whose items the
    server has not kept (registry/api/list_answers.py keeps 20,000), so each answer builds its items."""
    from registry.api.pagination import encode_cursor
    from registry.store.queries.grants import PROJECT_SORTS

    rng = random.Random(17)
    key = PROJECT_SORTS["id"]
    cursors = [encode_cursor(key, False, (rng.randrange(PROJECTS - PAGE),)) for _ in range(50_000)]
    path = work / "page-cursors.txt"
    path.write_text("\n".join(cursors) + "\n")
    return path


def memory_of(group: int) -> tuple[int, int]:
    """Resident and anonymous resident bytes of the processes of process group `group` (Linux's /proc)."""
    resident = anonymous = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if int(status.parent.joinpath("stat").read_text().rsplit(")", 1)[1].split()[2]) != group:
                continue
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except (OSError, ValueError, IndexError):
            continue  # ended meanwhile
        resident += int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
        anonymous += int(fields.get("RssAnon", "0 kB").split()[0]) * 1024
    return resident, anonymous


def time_export(base: str, server: subprocess.Popen[bytes], path: str) -> dict[str, Any]:
    """Downloads the export at `path` whole, as a newsroom would, counting its rows, while the server's
    memory is sampled every 0.1 s: a streamed export holds a chunk of rows at a time, not the table."""
    import threading

    rss_before, anon_before = memory_of(server.pid)
    peak = [rss_before, anon_before]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            resident, anonymous = memory_of(server.pid)
            peak[0], peak[1] = max(peak[0], resident), max(peak[1], anonymous)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    used = cpu_seconds(server.pid)
    started = time.monotonic()
    lines = 0
    with requests.get(base + path, stream=True, timeout=600) as response:
        response.raise_for_status()
        for chunk in response.iter_content(chunk_size=1 << 16):
            lines += chunk.count(b"\n")
    seconds = time.monotonic() - started
    used = cpu_seconds(server.pid) - used
    done.set()
    sampler.join()
    rows = lines - 1  # the header
    found = {"path": path, "rows": rows, "seconds": seconds, "cpu_us": used / max(rows, 1) * 1e6,
             "rss_before": rss_before, "rss_peak": peak[0],
             "anon_before": anon_before, "anon_peak": peak[1]}  # fmt: skip
    print(f"  API, export {path}: {rows:,} rows in {seconds:.1f} s, {rows / seconds:,.0f} rows/s, resident memory "
          f"{rss_before / 2**20:.0f} -> at most {peak[0] / 2**20:.0f} MiB", file=sys.stderr)  # fmt: skip
    return found


# ---- anvil with the registry, for the live check ---------------------------------------------------


def start_chain(data_dir: Path, database: Path) -> Any:
    """An anvil node pinned to the load generator's core, with the registry deployed and filled (see
    `fill_chain`), the deployment manifest and the batches' manifests in `data_dir` where the API
    finds them, and the chain indexed into `database` by `rnd-registry index`; then it mines a block
    a second."""
    from registry.chain.anvil import start_anvil
    from registry.chain.compiler import compile_contracts
    from registry.chain.connection import connect
    from registry.chain.deployment import deploy_registry
    from registry.chain.devkeys import dev_account
    from registry.chain.reverts import RevertDecoder
    from registry.chain.transactions import TransactionSender

    node = start_anvil(PROJECT_ROOT)
    subprocess.run(["taskset", "-a", "-p", "-c", LOAD_CORE, str(node.pid)], check=True, capture_output=True)
    w3 = connect(node.rpc_url)
    artifacts = compile_contracts()
    sender = TransactionSender(w3, dev_account(0), RevertDecoder(a.abi for a in artifacts.values()))
    manifest = deploy_registry(w3, sender, artifacts, admin_transfer_delay=2 * 24 * 3600)
    manifest.write(data_dir / "deployment.json")
    started = time.monotonic()
    fill_chain(w3, node.rpc_url, manifest, data_dir)
    database.unlink(missing_ok=True)
    env = {**os.environ, "RND_DATA_DIR": str(data_dir), "RND_DATABASE_URL": f"sqlite:///{database}",
           "RND_RPC_URL": node.rpc_url}  # fmt: skip
    indexed = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "rnd-registry"), "index", "--json"], env=env,
                             capture_output=True, text=True)  # fmt: skip
    if indexed.returncode != 0:
        raise SystemExit(f"rnd-registry index failed:\n{indexed.stderr[-2000:]}")
    summary = json.loads(indexed.stdout)
    print(f"  filled the chain to block {w3.eth.block_number:,} and indexed it in {time.monotonic() - started:.0f} s: "
          f"{json.dumps(summary, separators=(',', ':'))[:300]}", file=sys.stderr)  # fmt: skip
    # A block a second, as a QBFT network makes them (empty ones too): the live check reads at the
    # head, and what it remembers of answers that may change holds only until the next block.
    w3.provider.make_request("evm_setIntervalMining", [1])  # type: ignore[arg-type]
    return node


def fill_chain(w3: Any, rpc_url: str, manifest: DeploymentManifest, data_dir: Path) -> None:
    """Real registry activity: rounds of grant programs through their whole life (their documents
    anchored by milestone submissions, outcomes, reports, and one by one with `anchorDocument`), then
    Merkle batches of invoices anchored with `anchorBatch`, their files and manifests kept in the
    document store so that the indexer lists their members."""
    from registry.chain.client import RegistryClient
    from registry.chain.devkeys import dev_account
    from registry.chain.devload import MEMBER, DevLoad
    from registry.evidence.batches import MANIFEST_NAME, store_batch
    from registry.evidence.proofs import build_batch
    from registry.evidence.store import DocumentStore

    load = DevLoad(rpc_url, manifest, seed=3, per_block=250)
    try:
        load.setup()
        for _ in range(CHAIN_ROUNDS):
            load.round(CHAIN_PROJECTS)
    finally:
        load.close()
    store = DocumentStore(data_dir / "documents")
    client = RegistryClient(w3, manifest, account=dev_account(MEMBER))
    for b in range(CHAIN_BATCHES):
        folder = data_dir / "batches" / f"invoices-{b}"
        folder.mkdir(parents=True)
        for n in range(CHAIN_BATCH_SIZE):
            (folder / f"invoice-{n:03d}.txt").write_text(f"Benchmark tax invoice {b}-{n}\n")
        batch, tree, _ = build_batch(folder)
        store_batch(store, folder, batch, MANIFEST_NAME)
        client.execute(client.ops.anchor_batch(tree.root, tree.leaf_count, batch.manifest_hash))


# ---- the run ------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per measurement")
    parser.add_argument("--connections", type=int, default=16, help="wrk's open connections")
    parser.add_argument("--work-dir", type=Path, default=PROJECT_ROOT / ".rnd-registry" / "api-benchmark")
    parser.add_argument("--rebuild", action="store_true", help="build the database even if one is there")
    parser.add_argument("--no-chain", action="store_true", help="no node: the live check reports unavailable")
    parser.add_argument("--serve-naive", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    work: Path = args.work_dir
    database = work / "registry.db"
    if args.serve_naive:
        return serve(naive_app(args.serve_naive), args.port)
    if args.serve_bare:
        return serve(bare_app(database), args.port)
    if shutil.which("wrk") is None or shutil.which("taskset") is None:
        raise SystemExit("wrk and taskset are needed: apt-get install -y wrk util-linux")
    if (os.cpu_count() or 1) < 2:
        raise SystemExit("the benchmark needs two cores: the server on one, the load generator on the other")

    work.mkdir(parents=True, exist_ok=True)
    stamp = work / "built.json"
    if args.rebuild or not database.exists() or not stamp.exists():
        started = time.monotonic()
        records = build_database(database)
        stamp.write_text(json.dumps({"records": records}))
        print(f"built {database}: {records:,} records in {time.monotonic() - started:.0f} s", file=sys.stderr)
    records = json.loads(stamp.read_text())["records"]
    hashes = work / "hashes.txt"
    hashes.write_text("\n".join(verify_targets(database)) + "\n")

    data_dir = Path(tempfile.mkdtemp(prefix="api-benchmark-"))
    chain_database = work / "chain.db"
    node = None if args.no_chain else start_chain(data_dir, chain_database)
    env = {**os.environ, "RND_DATA_DIR": str(data_dir), "RND_DATABASE_URL": f"sqlite:///{database}"}
    if node is not None:
        env["RND_RPC_URL"] = node.rpc_url
    unlinked = {**env, "RND_DATA_DIR": str(data_dir / "no-node")}  # no deployment manifest there
    on_chain_db = {**env, "RND_DATABASE_URL": f"sqlite:///{chain_database}"}
    api: dict[str, dict[str, Any]] = {}
    naive: dict[str, dict[str, Any]] = {}
    serve_api = [str(PROJECT_ROOT / ".venv" / "bin" / "rnd-registry"), "serve", "--no-access-log", "--port"]
    this = [sys.executable, str(Path(__file__).resolve()), "--work-dir", str(work)]
    try:
        with serving(serve_api, env, "/api/v1/projects/1", work / "api.log") as (base, server):
            cursor = far_cursor(base)
            loads = {
                "record lookup": lua_random_ids("/api/v1/projects/%d", PROJECTS),
                "list, page 1": fixed_path("/api/v1/projects"),
                "list, page 10,000": fixed_path(f"/api/v1/projects?cursor={cursor}"),
                "list, random page": lua_from_file("/api/v1/projects?cursor=%s", random_page_cursors(work)),
            }
            if node is None:
                loads["verify by hash"] = lua_from_file("/api/v1/verify/%s", hashes)
            api |= measure(base, server, work, args, loads)
            export = time_export(base, server, "/api/v1/projects/export")
        if node is not None:
            targets = chain_targets(chain_database, work)
            # One document everyone asks about (a claim in the news): its answer is kept between blocks.
            hot_document = targets["anchored"].read_text().split("\n", 1)[0]
            with serving(serve_api, on_chain_db, "/api/v1/projects/1", work / "api-chain.log") as (base, server):
                show_live_checks(base, targets)
                verify_each_once(base, targets["anchored"])
                api |= measure(base, server, work, args, {
                    "verify, live: anchored": lua_from_file("/api/v1/verify/%s", targets["anchored"]),
                    "verify, live: nowhere": lua_from_file("/api/v1/verify/%s", targets["nowhere"]),
                    "verify, live: mix": lua_from_file("/api/v1/verify/%s", targets["mix"]),
                    "verify, live: one document": fixed_path(f"/api/v1/verify/{hot_document}"),
                })  # fmt: skip
            two = [*serve_api[:2], "--workers", "2", *serve_api[2:]]
            with serving(two, on_chain_db, "/api/v1/projects/1", work / "api-2.log", BOTH_CORES) as (base, server):
                verify_each_once(base, targets["anchored"])  # each worker keeps its own; most get asked twice
                api |= measure(base, server, work, args, {
                    "verify, live: mix, 2 wk": lua_from_file("/api/v1/verify/%s", targets["mix"]),
                })  # fmt: skip
            # The same answers without the live check: an installation with no deployment manifest
            # cannot ask a contract, and says so in `liveCheck` ("unavailable").
            chain_unlinked = {**on_chain_db, "RND_DATA_DIR": unlinked["RND_DATA_DIR"]}
            with serving(serve_api, chain_unlinked, "/api/v1/projects/1", work / "api-no-node.log") as (base, server):
                api |= measure(base, server, work, args, {
                    "verify, mix, no live": lua_from_file("/api/v1/verify/%s", targets["mix"]),
                })  # fmt: skip
            with serving(serve_api, unlinked, "/api/v1/projects/1", work / "api-no-node-big.log") as (base, server):
                api |= measure(base, server, work, args, {
                    "verify, 1.5M db, no live": lua_from_file("/api/v1/verify/%s", hashes),
                })  # fmt: skip
            naive_chain = [*this, "--serve-naive", str(chain_database), "--port"]
            with serving(naive_chain, env, "/projects/1", work / "naive-chain.log") as (base, server):
                found = measure(base, server, work, args, {
                    "verify, live: anchored": lua_from_file("/verify/%s", targets["anchored"]),
                    "verify, live: nowhere": lua_from_file("/verify/%s", targets["nowhere"]),
                    "verify, live: mix": lua_from_file("/verify/%s", targets["mix"]),
                    "verify, live: one document": fixed_path(f"/verify/{hot_document}"),
                }, side="naive")  # fmt: skip
                naive |= found | {
                    "verify, live: mix, 2 wk": found["verify, live: mix"],
                    "verify, mix, no live": found["verify, live: mix"],
                }
        naive_big = [*this, "--serve-naive", str(database), "--port"]
        with serving(naive_big, env, "/projects/1", work / "naive.log") as (base, server):
            found = measure(base, server, work, args, {
                "record lookup": lua_random_ids("/projects/%d", PROJECTS),
                "verify, 1.5M db": lua_from_file("/verify/%s", hashes),
                "list, page 1": fixed_path("/projects?page=1"),
                "list, page 10,000": fixed_path(f"/projects?page={FAR_PAGE}"),
                "list, random page": lua_random_ids("/projects?page=%d", PROJECTS // PAGE),
            }, side="naive")  # fmt: skip
            naive |= found
            naive["verify by hash"] = naive["verify, 1.5M db, no live"] = found["verify, 1.5M db"]
        with serving([*this, "--serve-bare", "--port"], env, "/projects/1", work / "bare.log") as (base, server):
            bare = measure(base, server, work, args, {
                "record lookup": lua_random_ids("/projects/%d", PROJECTS),
            }, side="bare")["record lookup"]  # fmt: skip
        load_average = os.getloadavg()
    finally:
        if node is not None:
            node.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    report(api, naive, bare, records, args, live=node is not None, load_average=load_average, export=export)
    return 0


def show_live_checks(base: str, targets: dict[str, Path]) -> None:
    """Checks that the chain's documents are confirmed by the live check, and prints what it says."""
    session = requests.Session()
    for name in ("anchored", "nowhere"):
        first = targets[name].read_text().split("\n", 1)[0]
        check = session.get(f"{base}/api/v1/verify/{first}", timeout=10).json()["liveCheck"]
        print(f"  live check, {name}: {check['status']} ({check['message'][:100]})", file=sys.stderr)
        assert check["status"] == ("confirmed" if name == "anchored" else "not-anchored"), check
    statuses: dict[str, int] = {}
    for line in targets["mix"].read_text().split()[:300]:
        status = session.get(f"{base}/api/v1/verify/{line}", timeout=10).json()["liveCheck"]["status"]
        statuses[status] = statuses.get(status, 0) + 1
    print(f"  live checks of the first 300 of the mix: {statuses}", file=sys.stderr)
    assert set(statuses) <= {"confirmed", "not-anchored"}, statuses


def verify_each_once(base: str, hashes: Path) -> None:
    """Verifies every distinct hash in `hashes` once, as a registry in use has verified its documents
    before: what is final on the chain (first anchorings, accepted proofs, cited logs) is then known
    to the server, and the measurement shows the steady state rather than first readings."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import local

    sessions = local()
    distinct = sorted(set(hashes.read_text().split()))

    def verify(value: str) -> None:
        if not hasattr(sessions, "session"):
            sessions.session = requests.Session()
        sessions.session.get(f"{base}/api/v1/verify/{value}", timeout=30).raise_for_status()

    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(verify, distinct))
    print(f"  verified each of {len(distinct):,} documents once in {time.monotonic() - started:.0f} s",
          file=sys.stderr)  # fmt: skip


def measure(
    base: str,
    server: subprocess.Popen[bytes],
    work: Path,
    args: argparse.Namespace,
    loads: dict[str, str],
    *,
    side: str = "API",
) -> dict[str, Any]:
    found = {}
    for name, lua in loads.items():
        run_wrk(base, lua, work, duration=2, connections=args.connections, server=server.pid)  # warm-up
        found[name] = run_wrk(base, lua, work, duration=args.duration, connections=args.connections, server=server.pid)
        result = found[name]
        print(f"  {side}, {name}: {result['rate']:,.0f} requests/s, p50 {result['p50'] / 1000:.2f} ms, "
              f"p99 {result['p99'] / 1000:.2f} ms, {result['cpu_us']:.0f} us of server CPU each, "
              f"{result['errors']} errors", file=sys.stderr)  # fmt: skip
    return found


ROWS = {
    "record lookup": "record lookup",
    "verify by hash": "verify by hash",
    "verify, live: anchored": "verify (live check), anchored on chain",
    "verify, live: nowhere": "verify (live check), anchored nowhere",
    "verify, live: mix": "verify (live check), the mix",
    "verify, live: one document": "verify (live check), one document asked by everyone",
    "verify, live: mix, 2 wk": "verify (live check), the mix, --workers 2 on both cores",
    "verify, mix, no live": "verify, the mix, no live check",
    "verify, 1.5M db, no live": "verify, 1.5M-record db, no live check",
    "list, page 1": "list, page 1",
    "list, page 10,000": "list, page 10,000",
    "list, random page": "list, a random page (its items not kept)",
}


def report(
    api: dict[str, dict[str, Any]],
    naive: dict[str, dict[str, Any]],
    bare: dict[str, Any],
    records: int,
    args: argparse.Namespace,
    *,
    live: bool,
    load_average: tuple[float, float, float],
    export: dict[str, Any],
) -> None:
    print()
    print(f"API benchmark: {records:,} indexed records in SQLite; one uvicorn worker on core {SERVER_CORE} "
          f"(unless said), wrk ({args.connections} connections, {args.duration} s) on core {LOAD_CORE}; "
          f"load average {load_average[0]:.2f} {load_average[1]:.2f} {load_average[2]:.2f}")  # fmt: skip
    print("verify-by-hash answers include a live check: " + (
        "eth_calls to an anvil node on the load generator's core, a block a second, on the chain's own "
        "database (documents really anchored there)" if live
        else "none (--no-chain: 'unavailable')"))  # fmt: skip
    print("CPU us: the server's CPU time per answer (all its processes), whatever else the machine was doing")
    print()
    width = max(len(ROWS[name]) for name in api)
    header = (
        f"{'':{width}} {'API req/s':>10} {'p50 ms':>7} {'p99 ms':>7} {'CPU us':>7} | {'naive req/s':>11} "
        f"{'p50 ms':>7} {'p99 ms':>8} | {'speed-up':>8}"
    )
    print(header)
    print("-" * len(header))
    for name in ROWS:
        if name not in api:
            continue
        mine, theirs = api[name], naive[name]
        print(f"{ROWS[name]:{width}} {mine['rate']:>10,.0f} {mine['p50'] / 1000:>7.2f} {mine['p99'] / 1000:>7.2f} "
              f"{mine['cpu_us']:>7.0f} | {theirs['rate']:>11,.0f} {theirs['p50'] / 1000:>7.2f} "
              f"{theirs['p99'] / 1000:>8.2f} | {mine['rate'] / theirs['rate']:>7.1f}x")  # fmt: skip
    print(f"{'for scale:':{width}} a bare FastAPI point read from SQLite (no middleware, no response model): "
          f"{bare['rate']:,.0f} req/s, p50 {bare['p50'] / 1000:.2f} ms, p99 {bare['p99'] / 1000:.2f} ms, "
          f"{bare['cpu_us']:.0f} us of CPU each")  # fmt: skip
    if live:
        print("the mix: two parts documents anchored on the chain, one part batch members, one part hashes anchored "
              "nowhere; the naive baseline has no live check")  # fmt: skip
    print()
    for name in ("record lookup", "verify by hash", "verify, live: anchored", "verify, live: nowhere",
                 "verify, live: mix", "verify, live: one document", "verify, mix, no live"):  # fmt: skip
        if name not in api:
            continue
        ok = api[name]["rate"] >= RATE_TARGET and api[name]["p99"] / 1000 <= P99_TARGET_MS
        print(f"{ROWS[name]}: target {RATE_TARGET:,} req/s with p99 <= {P99_TARGET_MS:g} ms on one worker: "
              f"{'met' if ok else 'NOT met'}")  # fmt: skip
    first, far = api["list, page 1"]["rate"], api["list, page 10,000"]["rate"]
    naive_first, naive_far = naive["list, page 1"]["rate"], naive["list, page 10,000"]["rate"]
    print(f"page 10,000 vs page 1: API {far / first:.2f} of page 1's rate; naive offset {naive_far / naive_first:.3f}")
    print(f"list, page 1: target 2,000 req/s on one worker: {'met' if first >= 2_000 else 'NOT met'}; a page's items "
          f"are kept while the database stays the same, a random page's mostly are not")  # fmt: skip
    print(f"export of every project as CSV ({export['path']}): {export['rows']:,} rows in {export['seconds']:.1f} s, "
          f"{export['rows'] / export['seconds']:,.0f} rows/s, {export['cpu_us']:.0f} us of server CPU a row; the "
          f"server's resident memory {export['rss_before'] / 2**20:.0f} MiB before, at most "
          f"{export['rss_peak'] / 2**20:.0f} MiB during (anonymous, not counting the database file's mapped pages: "
          f"{export['anon_before'] / 2**20:.0f} and {export['anon_peak'] / 2**20:.0f} MiB)")  # fmt: skip
    errors = sum(r["errors"] for side in (api, naive) for r in side.values()) + bare["errors"]
    if errors:
        print(f"WARNING: {errors} requests failed or answered non-2xx; the figures above count them")


if __name__ == "__main__":
    sys.exit(main())
