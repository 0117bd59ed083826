"""`rnd-registry evidence` (hash, anchor, prove) and `rnd-registry verify`: documents and their hashes.

A document never goes on chain, only its SHA-256; these commands compute that hash, anchor it (one
document, or a folder as one Merkle batch with a proof file per document), and let anyone check a
document or a proof file against the chain.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from registry.chain.client import Operation, RegistryClient
from registry.checking.citations import FoundCitation, find_citations
from registry.checking.documents import (
    GRANT_REGISTRY,
    BatchHolding,
    CheckStep,
    ReceiptUnavailable,
    check_document_receipt,
    check_proof_file,
    check_proof_offline,
    issue_document_receipt,
)
from registry.checking.node import Node
from registry.checking.receipts import ReceiptBatch, RecordReceipt, read_receipt
from registry.checking.record_receipts import check_record_receipt
from registry.checking.records import LoggedEvent, RegistryAddresses, decode_log
from registry.checking.spec import event_type
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
from registry.domain.objections import contested_decision
from registry.domain.records import Anchor, Batch
from registry.errors import RegistryError
from registry.evidence.batches import MANIFEST_NAME, batch_member, store_batch
from registry.evidence.hashing import (
    DocumentHash,
    DocumentUnreadable,
    hash_document,
    hash_folder,
    hash_to_hex,
    parse_document_hash,
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


@app.command()
def publish(
    document: Annotated[
        str, typer.Argument(metavar="FILE_OR_SHA256", help="The document's file, or its SHA-256 (64 hex digits).")
    ],
    as_json: JsonOption = False,
) -> None:
    """Publish a document: anyone may then download it from the registry's API, its bytes checked
    against the hash on the way out (GET /api/v1/documents/SHA256). A file not yet in the document
    store is stored first.

    Publishing cannot be undone by the registry once someone has downloaded the file, and uploaded
    evidence is never published unless someone does this: publish only what holds no personal or
    confidential data. Reasons typed with --reason-text (and notes with --*-text) are published as
    they are written; files given with --public are published too.

    Example: rnd-registry evidence publish 평가결과보고서.pdf
    """
    with user_errors():
        store = DocumentStore(get_settings().document_store_dir)
        given = Path(document)
        if given.exists():
            digest = store.put_file(given).sha256
        else:
            try:
                digest = parse_document_hash(document)
            except RegistryError:
                raise typer.BadParameter(
                    f"{document!r} is neither a file nor a SHA-256 (64 hex digits)", param_hint="FILE_OR_SHA256"
                ) from None
        published = store.publish(digest)
    emit(
        {"sha256": hash_to_hex(published.sha256), "name": published.name, "size": published.size,
         "mediaType": published.media_type, "publishedAt": published.published_at},
        as_json=as_json,
        text=lambda: console.print(
            f"published {escape(published.name)} ({published.size:,} bytes, {published.media_type}): anyone can "
            f"download it at /api/v1/documents/{hash_to_hex(published.sha256)}", soft_wrap=True, highlight=False
        ),
    )  # fmt: skip


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


@app.command()
def prove(
    proof_file: Annotated[Path, typer.Argument(help=f"A document's proof file (*{PROOF_SUFFIX}).")],
    file: Annotated[
        Path | None, typer.Option("--file", help="The document itself, to check it is the one the proof is for.")
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Check the proof file alone, without asking the chain.")
    ] = False,
    rpc: Annotated[
        str | None,
        typer.Option(
            "--rpc",
            metavar="URL",
            help="Ask this JSON-RPC node (your choice) about the registry the proof names, with no deployment "
            "manifest; compare the contract it names with the one the city publishes.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check a proof file: intact, for this document, and its batch anchored on chain (anyone).

    Each step says what was asked of which node at which block, and what it answered.

    Exits non-zero if any check fails.

    Example: rnd-registry evidence prove evidence.proofs/interim-report.pdf.proof.json --file interim-report.pdf
    Example: rnd-registry evidence prove interim-report.pdf.proof.json --rpc https://node.example
    """
    with user_errors():
        if offline and rpc is not None:
            raise RegistryError("--offline asks no node; leave out --rpc, or --offline to ask that node")
        proof = ProofFile.read(proof_file)
        digest = sha256_file(file) if file is not None else None
        check = None
        if offline:
            steps = check_proof_offline(proof, digest)
        else:
            node, chain_id, contract = _proof_registry(proof, rpc)
            check = check_proof_file(node, proof, chain_id, contract, digest)
            steps = check.steps
    # Offline, a step not checked (no file given) is no failure; on chain, the verdict says.
    proven = not any(step.status == "failed" for step in steps) if check is None else check.anchored
    result = {
        "proofFile": str(proof_file),
        "document": proof.document,
        "documentHash": hash_to_hex(proof.document_hash),
        "root": hash_to_hex(proof.root),
        "proven": proven,
        "offline": offline,
        **(check.to_json() if check is not None else {"steps": [asdict(step) for step in steps]}),
    }

    def text() -> None:
        console.print(
            f"proof for {escape(proof.document)} (SHA-256 {hash_to_hex(proof.document_hash)})",
            soft_wrap=True,
            highlight=False,
        )
        if check is not None:
            _say(f"asked the node {escape(check.node)} (chain {check.chain_id}, block {check.block_number:,}, "
                 f"registry {check.contract})")  # fmt: skip
        _print_steps(steps)
        if proven and check is None:
            console.print("[green]consistent[/green] (offline: the chain was not asked whether the root is anchored)")
        elif proven and check is not None:
            console.print(
                f"[green]proven:[/green] {escape(proof.document)} is one of {proof.leaf_count} document(s); "
                f"{escape(check.reason)}",
                soft_wrap=True,
                highlight=False,
            )

    emit(result, as_json=as_json, text=text)
    if not proven:
        failed = next((step for step in steps if step.status == "failed"), None)
        reason = failed.detail if failed is not None else check.reason if check is not None else "not every step held"
        errors.print(f"[red]error:[/red] not proven: {escape(reason)}", soft_wrap=True, highlight=False)
        raise typer.Exit(code=1)


def _proof_registry(proof: ProofFile, rpc: str | None) -> tuple[Node, int, str]:
    """The node to ask and the registry (chain id, contract) to ask it about: with --rpc, the ones the
    proof names; else the deployment manifest's, which a proof naming another registry must match."""
    settings = get_settings()
    if rpc is not None:
        if proof.chain_id is None or proof.contract is None:
            raise RegistryError(
                "this proof file names no chain or contract (it was signed for a relayer before the batch was "
                "sent): check it against the registry's own deployment, without --rpc"
            )
        return Node(rpc, timeout=settings.rpc_timeout), proof.chain_id, proof.contract
    client = open_client()
    chain_id, contract = client.manifest.chain_id, client.grants.address
    if proof.anchored and (proof.chain_id, proof.contract) != (chain_id, contract):
        raise RegistryError(
            f"the proof names chain {proof.chain_id}, contract {proof.contract}, but the registry configured here is "
            f"chain {chain_id}, contract {contract}; check it with --rpc and a node of that chain, or point "
            "RND_RPC_URL and the deployment manifest at the registry the proof names"
        )
    return Node(settings.rpc_url, timeout=settings.rpc_timeout), chain_id, contract


#: A tick, a cross, and an en dash for a step not checked.
STEP_MARKS = {"passed": "[green]✓[/green]", "failed": "[red]✗[/red]", "not-checked": "[dim]\u2013[/dim]"}


def _print_steps(steps: Sequence[CheckStep]) -> None:
    for step in steps:
        batch = "" if step.batch is None else f" (batch {step.batch + 1})"
        console.print(f"  {STEP_MARKS[step.status]} {step.step}{batch}: {escape(step.detail)}",
                      soft_wrap=True, highlight=False)  # fmt: skip


# ---- verify -------------------------------------------------------------------------------------


def _milestone(e: dict[str, Any]) -> str:
    return f"milestone {e['milestoneIndex']} of project {e['projectId']}"


def _outcome_words(e: dict[str, Any]) -> str:
    external = f" {e['externalId']}" if e.get("externalId") else ""
    return f"{OutcomeType(e['outcomeType']).name.lower().replace('_', ' ')}{external}"


#: What a document is to the record whose event cites it, by (event, argument): the words of
#: `verify`'s "records referring to it". registry.checking.citations.CITING_ARGUMENTS says which
#: arguments cite documents; a test keeps the two in step.
CITATION_WORDS: dict[tuple[str, str], Callable[[dict[str, Any]], str]] = {
    ("DocumentAnchored", "documentHash"): lambda e: "anchored on its own",
    ("BatchAnchored", "manifestHash"): lambda e: f"manifest of the batch with root {hash_to_hex(bytes(e['root']))}",
    ("ProgramCreated", "metadataHash"): lambda e: f"notice of program {e['programId']}",
    ("ProjectRegistered", "planHash"): lambda e: f"plan of project {e['projectId']}",
    ("ProjectStatusChanged", "documentHash"):
        lambda e: f"document for project {e['projectId']} becoming {_status('ProjectStatus', e['to'])}",
    ("MilestonePlanned", "descriptionHash"): lambda e: f"description of {_milestone(e)}",
    ("MilestoneSubmitted", "evidenceHashes"): lambda e: f"evidence of {_milestone(e)}, submission {e['attempt']}",
    ("MilestoneApproved", "reviewHash"):
        lambda e: f"review note approving {_milestone(e)}, submission {e['attempt']}",
    ("MilestoneRejected", "reasonHash"): lambda e: f"reason for rejecting {_milestone(e)}, submission {e['attempt']}",
    ("AuditRecorded", "findingsHash"): lambda e: f"findings of evaluation {e['auditId']} of project {e['projectId']}",
    ("OutcomeAdded", "evidenceHash"):
        lambda e: f"evidence of outcome {e['outcomeId']} ({_outcome_words(e)}) of project {e['projectId']}",
    ("OutcomeAmended", "evidenceHash"):
        lambda e: f"evidence of outcome {e['outcomeId']} ({_outcome_words(e)}), correcting outcome {e['originalId']}",
    ("OutcomeAmended", "reasonHash"):
        lambda e: f"reason for correcting outcome {e['originalId']} by outcome {e['outcomeId']}",
    ("OutcomeRevocation", "reasonHash"): lambda e: f"reason for revoking outcome {e['outcomeId']}",
    ("IpStatusChanged", "evidenceHash"):
        lambda e: f"evidence that outcome {e['outcomeId']}'s IP became {_status('IpStatus', e['to'])}",
    ("CommercializationReported", "evidenceHash"):
        lambda e: f"evidence of commercialization report {e['reportId']} (project {e['projectId']}, {e['year']})",
    ("CommercializationCommitted", "evidenceHash"):
        lambda e: f"evidence of committed commercialization report {e['reportId']} "
                  f"(project {e['projectId']}, {e['year']})",
    ("CommercializationVerified", "noteHash"): lambda e: f"note verifying commercialization report {e['reportId']}",
    ("CommercializationDisputed", "reasonHash"):
        lambda e: f"reason for disputing commercialization report {e['reportId']}",
    ("ObjectionFiled", "evidenceHash"):
        lambda e: f"objection {e['objectionId']} to the "
                  f"{contested_decision(e['subject'], e['subjectId'], e['milestoneIndex'])}",
    ("ObjectionResolved", "reasonHash"):
        lambda e: f"reason for {'upholding' if e['upheld'] else 'dismissing'} objection {e['objectionId']}",
}  # fmt: skip


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

    Everything comes from the node (RND_RPC_URL), step by step, none of it from the registry's database.

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
        settings = get_settings()
        node = Node(settings.rpc_url, timeout=settings.rpc_timeout)
        addresses = RegistryAddresses(client.grants.address, client.outcomes.address,
                                      first_block=client.manifest.deploy_block)  # fmt: skip
        block = node.head().number
        holdings = _batches_holding(node, addresses, digest, block)
        try:
            claim = issue_document_receipt(node, addresses.grant_registry,
                                           [addresses.grant_registry, addresses.outcome_registry], digest,
                                           [holding for holding, _ in holdings.values()],
                                           issued_by="rnd-registry verify")  # fmt: skip
        except ReceiptUnavailable:
            claim = None
        check = check_document_receipt(node, claim, digest) if claim is not None else None
        citations = find_citations(node, addresses, digest, block)
        if receipt_out is not None and claim is not None and check is not None and check.anchored:
            claim.write(receipt_out)
    found = check is not None and check.anchored
    anchoring = claim.anchoring if claim is not None and found else None
    result: dict[str, Any] = {
        "file": str(file),
        "sha256": hash_to_hex(digest),
        "anchored": found,
        "anchor": (
            {
                "blockNumber": anchoring.block_number,
                "time": _iso(anchoring.block_time),
                "by": anchoring.anchored_by,
                "kind": _kind_words(anchoring.kind),
            }
            if anchoring is not None
            else None
        ),
        "batches": [_batch_json(batch, holdings[batch.root][1], node) for batch in claim.batches]
        if claim is not None and found
        else [],
        "references": [_citation_json(citation) for citation in citations],
        "chainId": client.manifest.chain_id,
        "contract": client.grants.address,
        "node": node.url,
        "blockNumber": check.block_number if check is not None else block,
        "check": check.to_json() if check is not None else None,
    }

    def text() -> None:
        if not found:
            console.print(f"[red]not anchored:[/red] {escape(str(file))}", soft_wrap=True, highlight=False)
            _say(
                f"SHA-256 {result['sha256']} is not in the registry at {client.grants.address} on chain "
                f"{client.manifest.chain_id}, as the node {escape(node.url)} answers at block {result['blockNumber']:,}"
            )
            if check is not None:
                _print_steps(check.steps)
            _say(
                "a copy that differs in even one byte has another hash; if the document was anchored in a "
                f"batch, check its proof file: rnd-registry evidence prove FILE{PROOF_SUFFIX} --file DOCUMENT"
            )
            if receipt_out is not None:
                _say(f"no receipt was written to {escape(str(receipt_out))}: there is no anchoring to put in one")
        else:
            console.print(f"[green]anchored:[/green] {escape(str(file))}", soft_wrap=True, highlight=False)
            _say(f"SHA-256 {result['sha256']} (`sha256sum` prints it without the 0x)")
            assert check is not None
            _say(f"asked the node {escape(check.node)} (chain {check.chain_id}, block {check.block_number:,}, "
                 f"registry {check.contract}):")  # fmt: skip
            _print_steps(check.steps)
            if receipt_out is not None:
                _say(
                    f"receipt written to {escape(str(receipt_out))}; anyone can check it against a node of their "
                    f"choice: rnd-registry verify {escape(str(file))} --receipt {escape(str(receipt_out))} --rpc URL"
                )
            if anchoring is not None:
                _say(f"first anchored at block {anchoring.block_number:,} on {_iso(anchoring.block_time)} by "
                     f"{anchoring.anchored_by}, as {_kind_words(anchoring.kind)}")  # fmt: skip
            for batch in result["batches"]:
                _say(
                    f"in a batch of {batch['leafCount']} document(s) (as {escape(batch['path'])}), root "
                    f"{batch['root']}, anchored at block {batch['blockNumber']:,} on {batch['time']} by {batch['by']}"
                )
        if result["references"]:
            _say("records referring to it, read from the chain:")
            for ref in result["references"]:
                _say(
                    f"  - {escape(ref['record'])}, by {ref['by']} at block {ref['blockNumber']:,} on {ref['time']} "
                    f"[dim](transaction {ref['transactionHash']}, log {ref['logIndex']})[/dim]"
                )

    emit(result, as_json=as_json, text=text)
    if not found:
        raise typer.Exit(code=1)


def _batches_holding(
    node: Node, addresses: RegistryAddresses, digest: bytes, block: int
) -> dict[bytes, tuple[BatchHolding, LoggedEvent]]:
    """The anchored batches holding `digest`, by root: found through their manifests in the local
    document store (the chain holds only roots), each with its BatchAnchored event as the node gave it.
    The receipt check then asks the chain about each."""
    store = _store()
    topic = "0x" + event_type(GRANT_REGISTRY, "BatchAnchored").topic0.hex()
    found = {}
    for raw in node.logs(addresses.grant_registry, [topic], addresses.first_block, block):
        logged = decode_log(GRANT_REGISTRY, raw)
        if logged is None:
            continue
        root = bytes(logged.args["root"])
        member = batch_member(store, root, bytes(logged.args["manifestHash"]), digest)
        if member is not None and root not in found:
            found[root] = (BatchHolding(member.root, member.path, member.proof), logged)
    return found


def _batch_json(batch: ReceiptBatch, logged: LoggedEvent, node: Node) -> dict[str, Any]:
    return {
        "root": hash_to_hex(batch.root),
        "path": batch.path,
        "leafCount": batch.leaf_count,
        "manifestHash": hash_to_hex(batch.manifest_hash),
        "blockNumber": batch.block_number,
        "time": _iso(datetime.fromtimestamp(node.block(batch.block_number).timestamp, UTC)),
        "by": str(logged.args["anchoredBy"]),
        "transactionHash": hash_to_hex(batch.transaction_hash),
        "logIndex": batch.log_index,
    }


def _citation_json(citation: FoundCitation) -> dict[str, Any]:
    event = citation.event
    return {
        "record": "; ".join(CITATION_WORDS[(event.name, argument)](event.args) for argument in citation.arguments),
        "event": event.name,
        "by": citation.actor,
        "blockNumber": event.block_number,
        "time": _iso(datetime.fromtimestamp(citation.block_time, UTC)),
        "transactionHash": hash_to_hex(event.transaction_hash),
        "logIndex": event.log_index,
    }


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
        _print_steps(check.steps)
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


# ---- shared -------------------------------------------------------------------------------------


def _store() -> DocumentStore:
    return DocumentStore(get_settings().document_store_dir)


def _iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as the proof files write times."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment is not None else None


def _anchor_words(record: Anchor | Batch) -> str:
    """When and by whom a document or batch was anchored, in one phrase."""
    return f"at block {record.block_number or 0:,} on {_iso(record.timestamp)} by {record.anchored_by}"


def _kind_words(kind: AnchorKind) -> str:
    return kind.name.lower().replace("_", " ")


def _status(enum_name: str, value: int) -> str:
    return SOLIDITY_ENUMS[enum_name](value).name.lower().replace("_", " ")


def _say(message: str) -> None:
    console.print(f"  {message}", soft_wrap=True, highlight=False)
