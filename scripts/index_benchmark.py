"""Backfill speed of the indexer against a naive baseline, measured in the same run on the same chain.

Creates at least 100,000 registry events on a fresh anvil chain (rounds of programs whose projects
go through their whole life: milestones planned, submitted, rejected and resubmitted, approved;
outcomes added, amended, revoked, IP filed; commercialization reported, committed and revealed,
verified and disputed; audits with clawbacks and restrictions; documents and batches anchored;
some submissions signed and relayed), then indexes them into SQLite twice, each in a process of
its own so that its peak memory is its own:

- the indexer (`rnd-registry index`'s code): batched `eth_getLogs` over adaptive block ranges,
  decoding with prepared decoders, every record table projected, bulk writes, one transaction per
  batch;
- the baseline: web3.py's `contract.events.X.get_logs` for each event type of each contract, and
  one ORM insert (add and flush) per event into a table of raw events with their decoded
  arguments. It writes no record tables, so it does less than the indexer.

Beside them, in a process of its own too, the floor: the same logs fetched from the same node with
the same `eth_getLogs` filter, in the block ranges the indexer's policy picks (`AdaptiveSpan`), as
bytes only, and as bytes parsed by `json.loads` as the indexer's RPC client does. The indexer's
events per second are said as a share of that parse floor (it aims at half of it): what fetching
and parsing leave is decoding and writing.

Each run prints its CPU seconds too (the indexer's with its read-ahead process's): on a shared
machine they say more about the work done than the clock does.

Targets: the indexer at least 10 times the baseline's events per second, at least 20,000 events
per second, peak memory under 500 MB. Then it measures follow mode: how long after a block is mined
its event is in the database. The load average is printed at the start, before the runs and after
them: the machine may be shared.

Run: .venv/bin/python scripts/index_benchmark.py [--events 100000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

EVENTS_TARGET = 100_000
SPEED_TARGET = 20_000
RATIO_TARGET = 10
MEMORY_TARGET_MB = 500
#: Not a target: what the indexer aims at, as a share of fetching and parsing the same logs alone.
PARSE_FLOOR_AIM = 0.5
#: The floor is cheap: measured this many times, its median kept.
FLOOR_PASSES = 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=EVENTS_TARGET, help="registry events to create, at least")
    parser.add_argument("--postgres", help="also index into this PostgreSQL database (its tables are replaced)")
    parser.add_argument("--child", choices=("indexer", "baseline", "floor"), help=argparse.SUPPRESS)
    parser.add_argument("--rpc", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "indexer":
        return child_indexer(args.rpc, Path(args.data_dir), args.database)
    if args.child == "baseline":
        return child_baseline(args.rpc, Path(args.data_dir), args.database)
    if args.child == "floor":
        return child_floor(args.rpc, Path(args.data_dir))
    return benchmark(args.events, args.postgres)


# ---- the parent: chain, events, runs, figures ------------------------------------------------------


def benchmark(events_wanted: int, postgres: str | None) -> int:
    from registry.chain.anvil import start_anvil
    from registry.chain.compiler import compile_contracts
    from registry.chain.connection import connect
    from registry.chain.deployment import deploy_registry
    from registry.chain.devkeys import dev_account
    from registry.chain.devload import DevLoad
    from registry.chain.reverts import RevertDecoder
    from registry.chain.transactions import TransactionSender
    from registry.settings import PROJECT_ROOT

    load_start = os.getloadavg()[0]
    print(f"load average (1 min) at the start: {load_start:.2f} on {os.cpu_count()} cores", flush=True)
    artifacts = compile_contracts()
    # A high block gas limit lets a block hold thousands of transactions, as a busy consortium chain's would.
    node = start_anvil(PROJECT_ROOT, extra_args=["--gas-limit", "10000000000"])
    work = Path(tempfile.mkdtemp(prefix="index-benchmark-"))
    try:
        w3 = connect(node.rpc_url)
        sender = TransactionSender(w3, dev_account(0), RevertDecoder(a.abi for a in artifacts.values()))
        manifest = deploy_registry(w3, sender, artifacts, admin_transfer_delay=3600)
        manifest.write(work / "deployment.json")
        started = time.monotonic()
        load = DevLoad(node.rpc_url, manifest, seed=1, per_block=2000)
        load.setup()
        events = 0
        for _ in load.rounds(projects=1000):
            events = count_logs(node.rpc_url, manifest)
            print(f"  {events:,} events so far ({load.transactions:,} transactions)", flush=True)
            if events >= events_wanted:
                break
        head = w3.eth.block_number
        print(
            f"created {events:,} registry events in {load.transactions:,} transactions and {head:,} blocks "
            f"in {time.monotonic() - started:.0f} s\n",
            flush=True,
        )

        # The machine is shared and its timings noisy: the indexer runs three times (a fresh database each
        # time) and its median run is compared; the baseline, ten times slower, runs once. The load
        # average says how busy the machine was meanwhile.
        load_before = os.getloadavg()[0]
        floor = run_child("floor", node.rpc_url, work, "")
        ours_runs = [
            run_child("indexer", node.rpc_url, work, f"sqlite:///{work / f'indexer-{i}.db'}") for i in range(3)
        ]
        ours_runs.sort(key=lambda r: r["seconds"])
        runs = [
            ("indexer, SQLite", ours_runs[1]),
            ("baseline, SQLite", run_child("baseline", node.rpc_url, work, f"sqlite:///{work / 'baseline.db'}")),
        ]
        if postgres:
            reset_postgres(postgres)
            runs.append(("indexer, PostgreSQL", run_child("indexer", node.rpc_url, work, postgres)))
        load_after = os.getloadavg()[0]
        follow = measure_follow(node.rpc_url, work, manifest, load)
    finally:
        node.stop()
        shutil.rmtree(work, ignore_errors=True)

    print(f"{'run':<26}{'events':>10}{'seconds':>10}{'events/s':>12}{'CPU s':>8}{'peak MB':>10}{'+ read-ahead MB':>17}")
    floor_rows = [
        ("eth_getLogs, bytes", {"events": floor["events"], "seconds": floor["raw_seconds"]}),
        ("eth_getLogs + json.loads", {"events": floor["events"], "seconds": floor["parse_seconds"]}),
    ]
    for label, result in [*floor_rows, *runs]:
        cpu = f"{result['cpu_seconds']:.2f}" if "cpu_seconds" in result else ""
        peak = f"{result['peak_mb']:.0f}" if "peak_mb" in result else ""
        helper = f"{result['helper_peak_mb']:.0f}" if "helper_peak_mb" in result else ""
        speed = result["events"] / result["seconds"]
        line = f"{label:<26}{result['events']:>10,}{result['seconds']:>10.2f}{speed:>12,.0f}"
        print(f"{line}{cpu:>8}{peak:>10}{helper:>17}".rstrip())
    ours, baseline = runs[0][1], runs[1][1]
    speed = ours["events"] / ours["seconds"]
    raw_floor = floor["events"] / floor["raw_seconds"]
    parse_floor = floor["events"] / floor["parse_seconds"]
    ratio = speed / (baseline["events"] / baseline["seconds"])
    peak = ours["peak_mb"] + ours["helper_peak_mb"]
    rates = ", ".join(f"{r['events'] / r['seconds']:,.0f}" for r in ours_runs)
    print()
    print(f"indexer (median of 3 runs: {rates} events/s): {speed:,.0f} events/s (target >= {SPEED_TARGET:,}), "
          f"{ratio:.1f}x the baseline (target >= {RATIO_TARGET}x), peak {peak:.0f} MB with its read-ahead "
          f"process (target < {MEMORY_TARGET_MB})")  # fmt: skip
    print(f"floor ({floor['requests']} eth_getLogs in the indexer's ranges, median of {floor['passes']}): fetching "
          f"{raw_floor:,.0f} events/s, fetching and parsing {parse_floor:,.0f} events/s; the indexer runs at "
          f"{speed / parse_floor:.0%} of the parse floor (aim: {PARSE_FLOOR_AIM:.0%}), {speed / raw_floor:.0%} of "
          f"the fetch floor")  # fmt: skip
    print(
        f"follow mode: a new block's event in the database {statistics.median(follow):.2f} s after it was mined "
        f"(median of {len(follow)}, max {max(follow):.2f} s)"
    )
    complete = all(r["events"] == events for r in [*ours_runs, baseline, floor])
    if not complete:
        print(f"EVENT COUNTS DIFFER: chain {events}, indexer {ours['events']}, baseline {baseline['events']}")
    ok = complete and speed >= SPEED_TARGET and ratio >= RATIO_TARGET and peak < MEMORY_TARGET_MB
    print(f"load average (1 min) on this {os.cpu_count()}-core machine: {load_start:.2f} at the start, "
          f"{load_before:.2f} before the runs, {load_after:.2f} after them")  # fmt: skip
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


def count_logs(rpc_url: str, manifest: Any) -> int:
    from registry.indexer.catalogue import EventCatalogue
    from registry.indexer.fetcher import LogFetcher
    from registry.indexer.rpc import JsonRpc

    rpc = JsonRpc(rpc_url, timeout=120)
    fetcher = LogFetcher(rpc, EventCatalogue.from_manifest(manifest), manifest.chain_id)
    head, total, first = fetcher.head(), 0, manifest.deploy_block
    while first <= head:
        last = min(head, first + 9)
        total += len(fetcher.logs(first, last)[0])
        first = last + 1
    rpc.close()
    return total


def run_child(kind: str, rpc_url: str, work: Path, database: str) -> dict[str, Any]:
    """Runs one backfill in a process of its own; its figures, with its peak memory."""
    command = [sys.executable, __file__, "--child", kind, "--rpc", rpc_url, "--data-dir", str(work)]
    if database:
        command += ["--database", database]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output, _ = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"the {kind} run failed (exit {process.returncode})")
    return dict(json.loads(output.strip().splitlines()[-1]))


def reset_postgres(url: str) -> None:
    from registry.store.engine import open_engine
    from registry.store.schema import metadata

    engine = open_engine(url)
    with engine.begin() as connection:
        metadata.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


# ---- the floor -------------------------------------------------------------------------------------


def child_floor(rpc_url: str, work: Path) -> int:
    """The registry's logs fetched alone, in the block ranges the indexer's policy picks: as bytes, and
    parsed as the indexer's RPC client parses them."""
    import requests

    from registry.chain.deployment import DeploymentManifest
    from registry.indexer.catalogue import EventCatalogue
    from registry.indexer.fetcher import AdaptiveSpan
    from registry.indexer.runner import _BATCHES_PER_RANGE, IndexerOptions
    from registry.settings import Settings

    manifest = DeploymentManifest.read(work / "deployment.json")
    # The filter of `LogFetcher.logs`: the registry's contracts, lower-case.
    addresses = [a.lower() for a in EventCatalogue.from_manifest(manifest).addresses]
    options = IndexerOptions.from_settings(Settings(rpc_url=rpc_url, data_dir=work))
    span = AdaptiveSpan(
        options.initial_span, maximum=options.max_span, target_events=options.target_events * _BATCHES_PER_RANGE
    )
    session = requests.Session()
    session.headers["Content-Type"] = "application/json"

    def fetch(first: int, last: int) -> bytes:
        params = [{"fromBlock": hex(first), "toBlock": hex(last), "address": addresses}]
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_getLogs", "params": params})
        return bytes(session.post(rpc_url, data=body, timeout=600).content)

    # The ranges, picked as the indexer picks them from the number of logs each answer holds.
    answer = session.post(rpc_url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber"}, timeout=60)
    head = int(answer.json()["result"], 16)
    ranges, first, events = [], manifest.deploy_block, 0
    while first <= head:
        last = min(head, first + span.span - 1)
        found = len(json.loads(fetch(first, last))["result"])
        span.succeeded(last - first + 1, found)
        ranges.append((first, last))
        events += found
        first = last + 1

    raw, parsed = [], []
    for _ in range(FLOOR_PASSES):
        started = time.monotonic()
        for first, last in ranges:
            fetch(first, last)
        raw.append(time.monotonic() - started)
        started = time.monotonic()
        for first, last in ranges:
            json.loads(fetch(first, last))
        parsed.append(time.monotonic() - started)
    session.close()
    print(json.dumps({"events": events, "requests": len(ranges), "passes": FLOOR_PASSES,
                      "raw_seconds": statistics.median(raw), "parse_seconds": statistics.median(parsed)}))  # fmt: skip
    return 0


# ---- the indexer -----------------------------------------------------------------------------------


def child_indexer(rpc_url: str, work: Path, database: str) -> int:
    os.environ.update({"RND_RPC_URL": rpc_url, "RND_DATA_DIR": str(work), "RND_DATABASE_URL": database})
    from registry.chain.deployment import DeploymentManifest
    from registry.indexer.runner import Indexer
    from registry.settings import Settings

    settings = Settings()
    indexer = Indexer.open(settings, DeploymentManifest.read(settings.manifest_path))
    started, cpu = time.monotonic(), _cpu_seconds(resource.RUSAGE_SELF)
    summary = indexer.run()
    seconds = time.monotonic() - started
    cpu = _cpu_seconds(resource.RUSAGE_SELF) - cpu
    indexer.close()
    helper = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the read-ahead process, ended
    cpu += _cpu_seconds(resource.RUSAGE_CHILDREN)  # the read-ahead process's, start to end
    print(json.dumps({"events": summary.events, "seconds": seconds, "cpu_seconds": cpu, "peak_mb": _peak_mb(),
                      "helper_peak_mb": helper}))  # fmt: skip
    return 0


# ---- the baseline ----------------------------------------------------------------------------------


class _Base(DeclarativeBase):
    pass


class BaselineEvent(_Base):
    """A decoded event, as a naive indexer keeps it."""

    __tablename__ = "events"
    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    chain_id: Mapped[int] = mapped_column(BigInteger)
    block_hash: Mapped[bytes] = mapped_column(LargeBinary)
    transaction_hash: Mapped[bytes] = mapped_column(LargeBinary)
    transaction_index: Mapped[int] = mapped_column(Integer)
    address: Mapped[str] = mapped_column(String(42))
    event: Mapped[str] = mapped_column(String(64))
    args: Mapped[str] = mapped_column(Text)


def child_baseline(rpc_url: str, work: Path, database: str) -> int:
    """web3.py contract objects per event type, one ORM insert per event."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session
    from web3 import Web3

    from registry.chain.deployment import DeploymentManifest

    manifest = DeploymentManifest.read(work / "deployment.json")
    engine = create_engine(database)
    _Base.metadata.create_all(engine)
    w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 600}))
    started, cpu = time.monotonic(), _cpu_seconds(resource.RUSAGE_SELF)
    head = w3.eth.block_number
    count = 0
    with Session(engine) as session:
        for name, deployed in manifest.contracts.items():
            contract = w3.eth.contract(address=manifest.address(name), abi=deployed.abi)
            for entry in deployed.abi:
                if entry["type"] != "event":
                    continue
                logs = contract.events[entry["name"]]().get_logs(from_block=manifest.deploy_block, to_block=head)
                for log in logs:
                    session.add(
                        BaselineEvent(
                            block_number=log["blockNumber"],
                            log_index=log["logIndex"],
                            chain_id=manifest.chain_id,
                            block_hash=bytes(log["blockHash"]),
                            transaction_hash=bytes(log["transactionHash"]),
                            transaction_index=log["transactionIndex"],
                            address=log["address"],
                            event=log["event"],
                            args=json.dumps(dict(log["args"]), default=_json_value),
                        )
                    )
                    session.flush()
                    count += 1
                session.commit()
    seconds = time.monotonic() - started
    cpu = _cpu_seconds(resource.RUSAGE_SELF) - cpu
    print(json.dumps({"events": count, "seconds": seconds, "cpu_seconds": cpu, "peak_mb": _peak_mb()}))
    return 0


def _json_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, tuple):
        return list(value)
    return str(value)


# ---- follow mode -----------------------------------------------------------------------------------


def measure_follow(rpc_url: str, work: Path, manifest: Any, load: Any, samples: int = 10) -> list[float]:
    """Seconds from a block being mined to its event being in the database, with `index --follow` running."""
    import threading

    from sqlalchemy import func, select

    from registry.indexer.runner import Indexer
    from registry.settings import Settings
    from registry.store.schema import raw_events

    # The first run's database is complete: following starts at the head.
    settings = Settings(rpc_url=rpc_url, data_dir=work, database_url=f"sqlite:///{work / 'indexer-0.db'}")
    stop = threading.Event()
    indexer = Indexer.open(settings, manifest, stop=stop)
    runner = threading.Thread(target=indexer.run, kwargs={"follow": True})
    runner.start()
    latencies = []
    try:
        with indexer.engine.connect() as connection:

            def stored() -> int:
                return int(connection.execute(select(func.count()).select_from(raw_events)).scalar_one())

            time.sleep(1.0)
            for _ in range(samples):
                before = stored()
                mined = time.monotonic()  # just before the transaction is sent and mined
                load.anchor_document()
                while stored() == before:
                    connection.rollback()
                    time.sleep(0.005)
                latencies.append(time.monotonic() - mined)
                connection.rollback()
                time.sleep(0.3)
    finally:
        stop.set()
        runner.join()
        indexer.close()
    return latencies


if __name__ == "__main__":
    sys.exit(main())
