"""`rnd-registry evidence` (hash, anchor, prove) and `rnd-registry verify`: documents and their hashes.

A document never goes on chain, only its SHA-256; these commands compute that hash, anchor it (one
document, or a folder as one Merkle batch with a proof file per document), and let anyone check a
document or a proof file against the chain.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from hexbytes import HexBytes
from rich.markup import escape
from web3.exceptions import TransactionNotFound

from registry.chain.client import Operation, RegistryClient
from registry.checking.documents import BatchHolding, check_document_receipt, issue_document_receipt
from registry.checking.node import Node
from registry.checking.receipts import RecordReceipt, read_receipt
from registry.checking.record_receipts import check_record_receipt
from registry.cli.context import (
    SIGN_REQUEST_TO,
    AccountOption,
    DevKeyOption,
    JsonOption,
    PasswordFileOption,
    Signer,
    open_client,
    run,
)
from registry.cli.output import console, emit, errors, user_errors
from registry.domain.enums import SOLIDITY_ENUMS, AnchorKind, OutcomeType
from registry.domain.records import Anchor, Batch
from registry.errors import RegistryError
from registry.evidence.batches import MANIFEST_NAME, batch_member, store_batch
from registry.evidence.hashing import (
    DocumentHash,
    DocumentUnreadable,
    hash_document,
    hash_folder,
    hash_to_hex,
    sha256_file,
)
from registry.evidence.proofs import ProofFile, build_batch
from registry.evidence.store import DocumentStore
from registry.settings import get_settings

app = typer.Typer(
    help="Evidence documents: compute their SHA-256, anchor them on chain (one by one or a folder at a "
    "time), and check a proof file. The documents themselves never go on chain."
)

WHY_SHA256 = (
    "SHA-256, exactly as `sha256sum FILE` (Linux), `shasum -a 256 FILE` (macOS) or "
    "`certutil -hashfile FILE SHA256` (Windows) prints it: anyone can recompute it without blockchain "
    "software, and the registry refers to each document by it."
)
PROOF_SUFFIX = ".proof.json"

# ---- evidence hash --------------------------------------------------------------------------------


@app.command(name="hash")
def hash_paths(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...", help="Files or folders to hash.")],
    as_json: JsonOption = False,
) -> None:
    """Print the SHA-256 of each file (every file inside a folder), the hash the registry records.

    It is the hash `sha256sum` prints, so anyone can recompute it without blockchain software.

    The output lines are those of `sha256sum`, so `sha256sum -c` can check them later.

    Example: rnd-registry evidence hash 중간보고서.pdf evidence/
    """
    with user_errors():
        documents = [document for path in paths for document in _hash_path(path)]
    if not as_json:
        errors.print(f"[dim]{WHY_SHA256}[/dim]", soft_wrap=True, highlight=False)
    emit(
        [{"path": d.path, "sha256": hash_to_hex(d.sha256), "size": d.size} for d in documents],
        as_json=as_json,
        text=lambda: _print_sha256sum_lines(documents),
    )


def _hash_path(path: Path) -> list[DocumentHash]:
    if path.is_dir():
        found = hash_folder(path)
        if not found:
            raise DocumentUnreadable(str(path), "the folder holds no documents (hidden files are skipped)")
        return [DocumentHash(path=(path / d.path).as_posix(), sha256=d.sha256, size=d.size) for d in found]
    if not path.exists():
        raise DocumentUnreadable(str(path), "no such file or folder")
    return [hash_document(path, str(path))]


def _print_sha256sum_lines(documents: list[DocumentHash]) -> None:
    for document in documents:
        console.print(f"{document.sha256.hex()}  {escape(document.path)}", soft_wrap=True, highlight=False)


# ---- evidence anchor ------------------------------------------------------------------------------


@app.command()
def anchor(
    path: Annotated[Path, typer.Argument(metavar="FILE_OR_FOLDER", help="A document, or a folder of documents.")],
    proofs: Annotated[
        Path | None,
        typer.Option(help="Folder for the batch's manifest and proof files (a folder only); default <folder>.proofs"),
    ] = None,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Anchor a document's SHA-256 on chain, or a whole folder as one batch (any registry participant).

    A folder is anchored in one transaction as the root of a Merkle tree over its documents.

    One proof file per document, and the batch manifest, are written to the proofs folder.

    Anyone can check a proof file with `rnd-registry evidence prove` or any OpenZeppelin Merkle library.

    Example: rnd-registry evidence anchor 2021-interim-report.pdf --account kim-member
    Example: rnd-registry evidence anchor evidence/2021-q3/ --account kim-member
    """
    with user_errors():
        signer = Signer(account, dev_key, password_file)
        if path.is_dir():
            _anchor_folder(path, proofs, signer, as_json=as_json)
            return
        if proofs is not None:
            raise RegistryError("--proofs is for anchoring a folder; a single document needs no proof file")
        document = hash_document(path)
        earlier = open_client().anchor(document.sha256)
        if earlier.anchored:
            raise RegistryError(f"{path} is already anchored ({_anchor_words(earlier)}); nothing was sent")
        _store().put_file(path)
        run(
            signer,
            lambda c: c.ops.anchor_document(document.sha256),
            as_json=as_json,
            show=lambda a: _say(f"{escape(str(path))}, anchored {_anchor_words(a)}"),
        )


def _anchor_folder(folder: Path, proofs: Path | None, signer: Signer, *, as_json: bool) -> None:
    real_folder = folder.resolve()
    proofs_dir = proofs if proofs is not None else real_folder.parent / f"{real_folder.name}.proofs"
    if proofs_dir.resolve().is_relative_to(real_folder):
        raise RegistryError(
            f"the proofs folder {proofs_dir} is inside {folder}, so its files would be hashed into the next "
            "batch; choose a folder outside it with --proofs"
        )
    if proofs_dir.exists() and (not proofs_dir.is_dir() or any(proofs_dir.iterdir())):
        raise RegistryError(
            f"{proofs_dir} already exists and is not an empty folder (proofs of an earlier batch?); "
            "choose another with --proofs"
        )
    manifest, tree, proof_files = build_batch(folder)
    earlier = open_client().batch(tree.root)
    if earlier.anchored:
        raise RegistryError(
            f"exactly these documents were already anchored as a batch ({_anchor_words(earlier)}); "
            "the proof files written then still hold; nothing was sent"
        )
    store_batch(_store(), folder, manifest, MANIFEST_NAME)

    def build(c: RegistryClient) -> Operation[Batch]:
        return c.ops.anchor_batch(tree.root, tree.leaf_count, manifest.manifest_hash)

    with _proofs_folder(proofs_dir):
        if SIGN_REQUEST_TO.get() is not None:
            run(signer, build, as_json=as_json, show=lambda _b: None)
            # The transaction does not exist until a relayer sends it, so the proofs cannot name it;
            # `evidence prove` checks them against the registry's root all the same.
            manifest.write(proofs_dir / MANIFEST_NAME)
            _write_proofs(proofs_dir, proof_files)
            if not as_json:
                _say(f"proof files (without the transaction, not sent yet) in {escape(str(proofs_dir))}")
            return
        client = open_client(signer)
        written = client.execute(build(client))
    manifest.write(proofs_dir / MANIFEST_NAME)
    anchored = {
        path: proof.with_anchor(
            client.manifest.chain_id,
            client.grants.address,
            bytes.fromhex(written.transaction_hash.removeprefix("0x")),
            written.block_number,
        )
        for path, proof in proof_files.items()
    }
    written_files = _write_proofs(proofs_dir, anchored)
    result = {
        "root": hash_to_hex(tree.root),
        "leafCount": tree.leaf_count,
        "manifestHash": hash_to_hex(manifest.manifest_hash),
        "chainId": client.manifest.chain_id,
        "contract": client.grants.address,
        **written.provenance(),
        "anchoredAt": _iso(written.record.timestamp),
        "proofs": str(proofs_dir),
        "manifest": str(proofs_dir / MANIFEST_NAME),
        "documents": [
            {"path": e.path, "sha256": hash_to_hex(e.sha256), "size": e.size, "proofFile": str(written_files[e.path])}
            for e in manifest.documents
        ],
    }

    def text() -> None:
        console.print(
            f"[green]done:[/green] anchored a batch of {tree.leaf_count} document(s) from {escape(str(folder))}",
            soft_wrap=True,
            highlight=False,
        )
        _say(f"Merkle root {result['root']}, manifest SHA-256 {result['manifestHash']}")
        _say(
            f"proof files in {escape(str(proofs_dir))}, one per document; anyone can check one with "
            f"`rnd-registry evidence prove FILE{PROOF_SUFFIX} --file DOCUMENT`"
        )
        console.print(f"[dim]transaction {written.transaction_hash}, block {written.block_number:,}[/dim]")

    emit(result, as_json=as_json, text=text)


@contextmanager
def _proofs_folder(proofs_dir: Path) -> Iterator[None]:
    """Creates the proofs folder before anything is sent (a folder that cannot be made fails first),
    and removes it again if nothing was anchored, so that trying again finds it empty."""
    created = not proofs_dir.exists()
    try:
        proofs_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RegistryError(
            f"cannot create the proofs folder {proofs_dir} ({exc.strerror}); nothing was sent"
        ) from None
    try:
        yield
    except BaseException:
        if created:
            shutil.rmtree(proofs_dir, ignore_errors=True)
        raise


def _write_proofs(proofs_dir: Path, proofs: dict[str, ProofFile]) -> dict[str, Path]:
    written = {}
    for document, proof in proofs.items():
        target = proofs_dir / f"{document}{PROOF_SUFFIX}"
        target.parent.mkdir(parents=True, exist_ok=True)
        proof.write(target)
        written[document] = target
    return written


# ---- evidence prove -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One check of a proof: what was checked, whether it held, and what was found."""

    name: str
    passed: bool
    detail: str


@app.command()
def prove(
    proof_file: Annotated[Path, typer.Argument(help=f"A document's proof file (*{PROOF_SUFFIX}).")],
    file: Annotated[
        Path | None, typer.Option("--file", help="The document itself, to check it is the one the proof is for.")
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Check the proof file alone, without asking the chain.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Check a proof file: intact, for this document, and its batch anchored on chain (anyone).

    Exits non-zero if any check fails.

    Example: rnd-registry evidence prove evidence.proofs/interim-report.pdf.proof.json --file interim-report.pdf
    """
    with user_errors():
        proof = ProofFile.read(proof_file)
        checks = [_check_consistent(proof)]
        if file is not None:
            checks.append(_check_document(proof, file))
        batch = None
        if not offline:
            client = open_client()
            chain_checks, batch = _check_on_chain(client, proof)
            checks.extend(chain_checks)
    proven = all(check.passed for check in checks)
    result = {
        "proofFile": str(proof_file),
        "document": proof.document,
        "documentHash": hash_to_hex(proof.document_hash),
        "root": hash_to_hex(proof.root),
        "proven": proven,
        "offline": offline,
        "checks": [{"check": c.name, "passed": c.passed, "detail": c.detail} for c in checks],
        "anchoredAt": _iso(batch.timestamp) if batch is not None else None,
        "anchoredBy": batch.anchored_by if batch is not None else None,
        "blockNumber": batch.block_number if batch is not None else None,
    }

    def text() -> None:
        console.print(
            f"proof for {escape(proof.document)} (SHA-256 {hash_to_hex(proof.document_hash)})",
            soft_wrap=True,
            highlight=False,
        )
        for check in checks:
            mark = "[green]✓[/green]" if check.passed else "[red]✗[/red]"
            console.print(f"  {mark} {check.name}: {escape(check.detail)}", soft_wrap=True, highlight=False)
        if proven and offline:
            console.print("[green]consistent[/green] (offline: the chain was not asked whether the root is anchored)")
        elif proven and batch is not None:
            console.print(
                f"[green]proven:[/green] {escape(proof.document)} is one of {proof.leaf_count} document(s) anchored "
                f"{_anchor_words(batch)}",
                soft_wrap=True,
                highlight=False,
            )

    emit(result, as_json=as_json, text=text)
    if not proven:
        failed = next(check for check in checks if not check.passed)
        errors.print(f"[red]error:[/red] not proven: {escape(failed.detail)}", soft_wrap=True, highlight=False)
        raise typer.Exit(code=1)


def _check_consistent(proof: ProofFile) -> Check:
    name = "the proof file is intact"
    if proof.verify():
        return Check(name, True, "the Merkle path leads from the document's hash to the root")
    return Check(
        name,
        False,
        "the Merkle path does not lead from the document's hash to the root: the proof file was altered or damaged",
    )


def _check_document(proof: ProofFile, file: Path) -> Check:
    digest = sha256_file(file)
    name = "the file is the document"
    if digest == proof.document_hash:
        return Check(name, True, f"{file} has the SHA-256 the proof names")
    return Check(
        name,
        False,
        f"{file} has SHA-256 {hash_to_hex(digest)}, but the proof is for {hash_to_hex(proof.document_hash)}",
    )


def _check_on_chain(client: RegistryClient, proof: ProofFile) -> tuple[list[Check], Batch | None]:
    checks = []
    if proof.anchored and (proof.chain_id, proof.contract) != (client.manifest.chain_id, client.grants.address):
        return [
            Check(
                "the proof is for this registry",
                False,
                f"the proof names chain {proof.chain_id}, contract {proof.contract}, but the registry configured "
                f"here is chain {client.manifest.chain_id}, contract {client.grants.address}; point RND_RPC_URL "
                "and the deployment manifest at the registry the proof names",
            )
        ], None
    batch = client.batch(proof.root)
    name = "the root is anchored"
    if batch.anchored:
        checks.append(Check(name, True, f"the registry anchored root {hash_to_hex(proof.root)} {_anchor_words(batch)}"))
    else:
        checks.append(Check(name, False, f"the registry holds no batch with root {hash_to_hex(proof.root)}"))
    member = client.verify_batch_member(proof.root, proof.document_hash, proof.proof)
    checks.append(
        Check(
            "the registry accepts the proof",
            member,
            "verifyBatchMember confirms the document is in the batch"
            if member
            else "verifyBatchMember refuses this document and path for this root",
        )
    )
    if proof.anchored:
        checks.append(_check_transaction(client, proof, batch))
    return checks, batch if batch.anchored else None


def _check_transaction(client: RegistryClient, proof: ProofFile, batch: Batch) -> Check:
    name = "the transaction named anchored this batch"
    assert proof.transaction_hash is not None
    transaction = hash_to_hex(proof.transaction_hash)
    try:
        receipt = client.w3.eth.get_transaction_receipt(HexBytes(proof.transaction_hash))
    except TransactionNotFound:
        return Check(name, False, f"the chain has no transaction {transaction}")
    anchored = [e for e in client.events(client.grants, "BatchAnchored", receipt) if bytes(e["root"]) == proof.root]
    if int(receipt["blockNumber"]) != proof.block_number or batch.block_number != proof.block_number:
        return Check(
            name,
            False,
            f"the proof says block {proof.block_number}, but transaction {transaction} is in "
            f"block {receipt['blockNumber']} and the root was anchored in block "
            f"{batch.block_number}",
        )
    if not anchored:
        return Check(name, False, f"transaction {transaction} did not anchor root {hash_to_hex(proof.root)}")
    event = anchored[0]
    if bytes(event["manifestHash"]) != proof.manifest_hash or int(event["leafCount"]) != proof.leaf_count:
        return Check(name, False, "the batch was anchored with another manifest or document count than the proof says")
    return Check(
        name,
        True,
        f"transaction {transaction} in block {proof.block_number:,} anchored the root with "
        f"this manifest ({proof.leaf_count} document(s))",
    )


# ---- verify -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceKind:
    """An event field that refers to documents, and how to say what the document is to that record."""

    contract: str
    event: str
    field: str
    actor: str
    describe: Callable[[dict[str, Any]], str]


def _milestone(e: dict[str, Any]) -> str:
    return f"milestone {e['milestoneIndex']} of project {e['projectId']}"


def _outcome_words(e: dict[str, Any]) -> str:
    external = f" {e['externalId']}" if e.get("externalId") else ""
    return f"{OutcomeType(e['outcomeType']).name.lower().replace('_', ' ')}{external}"


REFERENCE_KINDS = (
    ReferenceKind("grants", "DocumentAnchored", "documentHash", "anchoredBy", lambda e: "anchored on its own"),
    ReferenceKind("grants", "ProgramCreated", "metadataHash", "admin", lambda e: f"notice of program {e['programId']}"),
    ReferenceKind("grants", "ProjectRegistered", "planHash", "admin", lambda e: f"plan of project {e['projectId']}"),
    ReferenceKind("grants", "ProjectStatusChanged", "documentHash", "actor",
                  lambda e: f"document for project {e['projectId']} becoming "
                            f"{_status('ProjectStatus', e['to'])}"),
    ReferenceKind("grants", "MilestonePlanned", "descriptionHash", "actor",
                  lambda e: f"description of {_milestone(e)}"),
    ReferenceKind("grants", "MilestoneSubmitted", "evidenceHashes", "submitter",
                  lambda e: f"evidence of {_milestone(e)}, submission {e['attempt']}"),
    ReferenceKind("grants", "MilestoneApproved", "reviewHash", "auditor",
                  lambda e: f"review note approving {_milestone(e)}, submission {e['attempt']}"),
    ReferenceKind("grants", "MilestoneRejected", "reasonHash", "auditor",
                  lambda e: f"reason for rejecting {_milestone(e)}, submission {e['attempt']}"),
    ReferenceKind("grants", "AuditRecorded", "findingsHash", "auditor",
                  lambda e: f"findings of evaluation {e['auditId']} of project {e['projectId']}"),
    ReferenceKind("outcomes", "OutcomeAdded", "evidenceHash", "submitter",
                  lambda e: f"evidence of outcome {e['outcomeId']} ({_outcome_words(e)}) of project {e['projectId']}"),
    ReferenceKind("outcomes", "OutcomeAmended", "evidenceHash", "submitter",
                  lambda e: f"evidence of outcome {e['outcomeId']} ({_outcome_words(e)}), "
                            f"correcting outcome {e['originalId']}"),
    ReferenceKind("outcomes", "OutcomeAmended", "reasonHash", "submitter",
                  lambda e: f"reason for correcting outcome {e['originalId']} by outcome {e['outcomeId']}"),
    ReferenceKind("outcomes", "OutcomeRevocation", "reasonHash", "actor",
                  lambda e: f"reason for revoking outcome {e['outcomeId']}"),
    ReferenceKind("outcomes", "IpStatusChanged", "evidenceHash", "actor",
                  lambda e: f"evidence that outcome {e['outcomeId']}'s IP became {_status('IpStatus', e['to'])}"),
    ReferenceKind("outcomes", "CommercializationReported", "evidenceHash", "submitter",
                  lambda e: f"evidence of commercialization report {e['reportId']} "
                            f"(project {e['projectId']}, {e['year']})"),
    ReferenceKind("outcomes", "CommercializationCommitted", "evidenceHash", "submitter",
                  lambda e: f"evidence of committed commercialization report {e['reportId']} "
                            f"(project {e['projectId']}, {e['year']})"),
    ReferenceKind("outcomes", "CommercializationVerified", "noteHash", "auditor",
                  lambda e: f"note verifying commercialization report {e['reportId']}"),
    ReferenceKind("outcomes", "CommercializationDisputed", "reasonHash", "auditor",
                  lambda e: f"reason for disputing commercialization report {e['reportId']}"),
)  # fmt: skip


def verify(
    file: Annotated[
        Path | None, typer.Argument(help="The document to check (left out for a record's receipt).")
    ] = None,
    receipt: Annotated[
        Path | None,
        typer.Option(
            "--receipt",
            help="A receipt (rnd-registry-receipt/1) to check the document against, with --rpc: no deployment "
            "manifest, no database, only the node you name.",
        ),
    ] = None,
    rpc: Annotated[
        str | None,
        typer.Option("--rpc", metavar="URL", help="The JSON-RPC node to check a --receipt against (your choice)."),
    ] = None,
    receipt_out: Annotated[
        Path | None,
        typer.Option("--receipt-out", help="Also write a receipt of the document, read from the chain, to this file."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check whether a document is anchored: when, by whom, which records refer to it (anyone, no account).

    The document is known by its SHA-256 only: a copy that differs in a single byte is not anchored.

    With --receipt and --rpc, checks the document and its receipt against that node alone, step by step;
    a record's receipt (a program, milestone... as a page or report showed it) needs no FILE.

    Exits 1 if the document is not anchored.

    Example: rnd-registry verify 2021-interim-report.pdf --receipt-out 2021-interim-report.receipt.json
    Example: rnd-registry verify 2021-interim-report.pdf --receipt 2021-interim-report.receipt.json --rpc https://node.example
    Example: rnd-registry verify --receipt milestone-3-1.receipt.json --rpc https://node.example
    """
    if receipt is not None or rpc is not None:
        _verify_receipt(file, receipt, rpc, receipt_out, as_json=as_json)
        return
    with user_errors():
        if file is None:
            raise RegistryError("give the document to check (a record's receipt is checked with --receipt and --rpc)")
        digest = sha256_file(file)
        client = open_client()
        anchored = client.anchor(digest)
        references = find_references(client, digest)
        batches = find_batches(client, digest)
        if receipt_out is not None and (anchored.anchored or batches):
            _write_receipt(client, digest, receipt_out)
    found = anchored.anchored or bool(batches)
    result = {
        "file": str(file),
        "sha256": hash_to_hex(digest),
        "anchored": found,
        "anchor": (
            {
                "blockNumber": anchored.block_number,
                "time": _iso(anchored.timestamp),
                "by": anchored.anchored_by,
                "kind": _kind_words(anchored.kind),
            }
            if anchored.anchored
            else None
        ),
        "batches": batches,
        "references": references,
        "chainId": client.manifest.chain_id,
        "contract": client.grants.address,
    }

    def text() -> None:
        if not found:
            console.print(f"[red]not anchored:[/red] {escape(str(file))}", soft_wrap=True, highlight=False)
            _say(
                f"SHA-256 {result['sha256']} (as `sha256sum` prints it) is not in the registry at "
                f"{client.grants.address} on chain {client.manifest.chain_id}"
            )
            _say(
                "a copy that differs in even one byte has another hash; if the document was anchored in a "
                f"batch, check its proof file: rnd-registry evidence prove FILE{PROOF_SUFFIX} --file DOCUMENT"
            )
            if receipt_out is not None:
                _say(f"no receipt was written to {escape(str(receipt_out))}: there is no anchoring to put in one")
            return
        console.print(f"[green]anchored:[/green] {escape(str(file))}", soft_wrap=True, highlight=False)
        _say(f"SHA-256 {result['sha256']}")
        if receipt_out is not None:
            _say(f"receipt written to {escape(str(receipt_out))}; anyone can check it against a node of their choice: "
                 f"rnd-registry verify {escape(str(file))} --receipt {escape(str(receipt_out))} --rpc URL")
        if anchored.anchored:
            _say(f"first anchored {_anchor_words(anchored)}, as {_kind_words(anchored.kind)}")
        for batch in batches:
            _say(
                f"in a batch of {batch['leafCount']} document(s) (as {escape(batch['path'])}), root {batch['root']}, "
                f"anchored at block {batch['blockNumber']:,} on {batch['time']} by {batch['by']}"
            )
        if references:
            _say("records referring to it:")
            for ref in references:
                _say(
                    f"  - {escape(ref['record'])}, by {ref['by']} at block {ref['blockNumber']:,} on {ref['time']} "
                    f"[dim](transaction {ref['transactionHash']})[/dim]"
                )

    emit(result, as_json=as_json, text=text)
    if not found:
        raise typer.Exit(code=1)


def _write_receipt(client: RegistryClient, digest: bytes, target: Path) -> None:
    """A receipt of the document, read from the chain the manifest names (its anchoring and the
    batches the local document store knows), written to `target`."""
    store = _store()
    holdings = []
    for logged in client.history(client.grants, ["BatchAnchored"]):
        member = batch_member(store, bytes(logged["root"]), bytes(logged["manifestHash"]), digest)
        if member is not None:
            holdings.append(BatchHolding(member.root, member.path, member.proof))
    reader = Node(get_settings().rpc_url)
    made = issue_document_receipt(reader, client.grants.address, [client.grants.address, client.outcomes.address],
                                  digest, holdings, issued_by="rnd-registry verify --receipt-out")  # fmt: skip
    made.write(target)


#: A tick, a cross, and an en dash for a step not checked.
STEP_MARKS = {"passed": "[green]✓[/green]", "failed": "[red]✗[/red]", "not-checked": "[dim]\u2013[/dim]"}


def _verify_receipt(file: Path | None, receipt_path: Path | None, rpc: str | None, receipt_out: Path | None,
                    *, as_json: bool) -> None:  # fmt: skip
    """`verify FILE --receipt R --rpc URL`: the receipt's claims asked of that node, and nothing else."""
    with user_errors():
        if receipt_path is None or rpc is None:
            raise RegistryError("--receipt and --rpc go together: the receipt to check, and the node to check it with")
        if receipt_out is not None:
            raise RegistryError("--receipt-out writes a receipt from the registry's own chain; leave out --receipt")
        claim = read_receipt(receipt_path)
        if isinstance(claim, RecordReceipt):
            if file is not None:
                raise RegistryError(f"{receipt_path} is a receipt of a {claim.kind}, not of a document: leave out FILE")
            _verify_record_receipt(claim, receipt_path, rpc, as_json=as_json)
            return
        if file is None:
            raise RegistryError(
                f"{receipt_path} is a document's receipt: give the document too (verify FILE --receipt R)"
            )
        digest = sha256_file(file)
        check = check_document_receipt(Node(rpc), claim, digest)
    result = {"file": str(file), "receipt": str(receipt_path), **check.to_json()}

    def text() -> None:
        console.print(
            f"checking {escape(str(file))} and its receipt {escape(str(receipt_path))} against the node "
            f"{escape(check.node)} (chain {check.chain_id}, block {check.block_number:,}, contract {check.contract})",
            soft_wrap=True,
            highlight=False,
        )
        for step in check.steps:
            batch = "" if step.batch is None else f" (batch {step.batch + 1})"
            console.print(f"  {STEP_MARKS[step.status]} {step.step}{batch}: {escape(step.detail)}",
                          soft_wrap=True, highlight=False)  # fmt: skip
        if check.anchored:
            console.print(f"[green]anchored:[/green] {escape(check.reason)}", soft_wrap=True, highlight=False)
        else:
            console.print(f"[red]{check.verdict}:[/red] {escape(check.reason)}", soft_wrap=True, highlight=False)

    emit(result, as_json=as_json, text=text)
    if not check.anchored:
        raise typer.Exit(code=1)


def _verify_record_receipt(claim: RecordReceipt, receipt_path: Path, rpc: str, *, as_json: bool) -> None:
    """`verify --receipt R --rpc URL` for a record: read again from that node and compared field by field."""
    with user_errors():
        check = check_record_receipt(Node(rpc), claim)
    comparison = check.comparison
    result = {
        "receipt": str(receipt_path),
        "node": check.node,
        "chainId": check.chain_id,
        "blockNumber": check.block_number,
        "atReceiptBlock": check.at_receipt_block,
        "kind": claim.kind,
        "key": claim.key,
        "holds": check.holds,
        "verdict": "wrong-chain" if comparison is None else comparison.verdict,
        "differences": [] if comparison is None else [
            {"field": d.path, "receipt": d.copy, "chain": d.chain} for d in comparison.differences
        ],
    }  # fmt: skip

    def text() -> None:
        mark = "[green]✓[/green]" if check.holds else "[red]✗[/red]"
        console.print(f"{mark} {escape(check.words())}", soft_wrap=True, highlight=False)

    emit(result, as_json=as_json, text=text)
    if not check.holds:
        raise typer.Exit(code=1)


def find_references(client: RegistryClient, digest: bytes) -> list[dict[str, Any]]:
    """Every record whose event names the document `digest`, oldest first."""
    contracts = {"grants": client.grants, "outcomes": client.outcomes}
    found = []
    by_event: dict[tuple[str, str], list[ReferenceKind]] = {}
    for kind in REFERENCE_KINDS:
        by_event.setdefault((kind.contract, kind.event), []).append(kind)
    for (contract, event), kinds in by_event.items():
        for logged in client.history(contracts[contract], [event]):
            for kind in kinds:
                value = logged[kind.field]
                hashes = [bytes(h) for h in value] if isinstance(value, list | tuple) else [bytes(value)]
                if digest in hashes:
                    found.append(
                        {
                            "record": kind.describe(logged),
                            "event": event,
                            "by": logged[kind.actor],
                            "blockNumber": logged["blockNumber"],
                            "time": _iso(_block_time(client, logged["blockNumber"])),
                            "transactionHash": logged["transactionHash"],
                        }
                    )
    return sorted(found, key=lambda r: (r["blockNumber"], r["transactionHash"]))


def find_batches(client: RegistryClient, digest: bytes) -> list[dict[str, Any]]:
    """The anchored batches that hold `digest`, found through their manifests in the local document
    store and confirmed on chain with `verifyBatchMember`."""
    store = _store()
    found = []
    for logged in client.history(client.grants, ["BatchAnchored"]):
        root = bytes(logged["root"])
        member = batch_member(store, root, bytes(logged["manifestHash"]), digest)
        if member is None or not client.verify_batch_member(root, digest, member.proof):
            continue
        found.append(
            {
                "root": hash_to_hex(root),
                "path": member.path,
                "leafCount": int(logged["leafCount"]),
                "manifestHash": hash_to_hex(bytes(logged["manifestHash"])),
                "blockNumber": logged["blockNumber"],
                "time": _iso(_block_time(client, logged["blockNumber"])),
                "by": logged["anchoredBy"],
                "transactionHash": logged["transactionHash"],
            }
        )
    return found


# ---- shared -------------------------------------------------------------------------------------


def _store() -> DocumentStore:
    return DocumentStore(get_settings().document_store_dir)


def _iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as the proof files write times."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment is not None else None


def _block_time(client: RegistryClient, block_number: int) -> datetime:
    return datetime.fromtimestamp(int(client.w3.eth.get_block(block_number)["timestamp"]), UTC)


def _anchor_words(record: Anchor | Batch) -> str:
    """When and by whom a document or batch was anchored, in one phrase."""
    return f"at block {record.block_number or 0:,} on {_iso(record.timestamp)} by {record.anchored_by}"


def _kind_words(kind: AnchorKind) -> str:
    return kind.name.lower().replace("_", " ")


def _status(enum_name: str, value: int) -> str:
    return SOLIDITY_ENUMS[enum_name](value).name.lower().replace("_", " ")


def _say(message: str) -> None:
    console.print(f"  {message}", soft_wrap=True, highlight=False)
