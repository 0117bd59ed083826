"""Publishing a document from a person's page: the text a publisher signs (EIP-191 `personal_sign`) to
vouch that a document should be served to everyone, and who signed it.

The text names the document's SHA-256, the chain id and the registry (its grant registry's address),
so a signature given for one registry cannot be replayed to another. It is written for the person who
reads it in a wallet before signing, in Korean and English. The workspace's page builds the same text
(`registry/web/static/workspace/evidence.js`, `publicationMessage`); a test checks the two agree.
"""

from __future__ import annotations

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address

from registry.errors import RegistryError

SIGNATURE_SIZE = 65


class PublicationSignatureInvalid(RegistryError):
    """A publication signature that cannot be read, or that is not the publisher's over this text."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


def publication_message(sha256: bytes, chain_id: int, registry: str) -> str:
    """The text a publisher signs to publish the document with SHA-256 `sha256` in the registry whose grant
    registry is at `registry` on chain `chain_id`."""
    return (
        "R&D 성과 등록부 공개 문서 게시 / Publish a document in the R&D outcome registry\n"
        "\n"
        f"문서 SHA-256 / Document SHA-256: {sha256.hex()}\n"
        f"체인 ID / Chain ID: {chain_id}\n"
        f"등록부 / Registry: {to_checksum_address(registry)}\n"
        "\n"
        "서명하면 이 문서를 누구나 받아 볼 수 있게 됩니다. 거래를 보내지 않으며 비용이 들지 않습니다.\n"
        "Signing makes this document readable by everyone. It sends no transaction and costs nothing."
    )


def publication_signer(message: str, signature: bytes) -> ChecksumAddress:
    """The account whose `personal_sign` of `message` is `signature`; `PublicationSignatureInvalid` if the
    signature is not one (wrong length, not a point on the curve, a malleable `s`)."""
    if len(signature) != SIGNATURE_SIZE:
        raise PublicationSignatureInvalid(f"a signature is {SIGNATURE_SIZE} bytes, and this one is {len(signature)}")
    try:
        recovered = Account.recover_message(encode_defunct(text=message), signature=signature)
    except Exception as error:  # eth_keys raises several types (BadSignature, ValueError) for a bad signature
        raise PublicationSignatureInvalid(f"the signature cannot be read ({type(error).__name__})") from None
    return to_checksum_address(recovered)
