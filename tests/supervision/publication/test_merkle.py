"""RFC 9162 Merkle trees: the reference vectors, and every proof over many sizes checked
against a plain recursive implementation written from the RFC's text."""

from __future__ import annotations

import hashlib

import pytest

from supervision.publication.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    ProofError,
    leaf_hash,
    node_hash,
    root_from_inclusion,
    verify_consistency,
    verify_inclusion,
)

# The RFC 6962 reference leaves and roots (certificate-transparency, transparency-dev/merkle)
LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = [  # (index, size, path)
    (0, 1, []),
    (0, 2, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]),
    (1, 2, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
CONSISTENCY = [  # (first, second, path)
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]


# -- a plain implementation of RFC 9162 §2.1, recursion as the text writes it --


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(data: list[bytes]) -> bytes:
    n = len(data)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + data[0]).digest()
    k = _k(n)
    return hashlib.sha256(b"\x01" + ref_mth(data[:k]) + ref_mth(data[k:])).digest()


def ref_path(m: int, data: list[bytes]) -> list[bytes]:
    n = len(data)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return ref_path(m, data[:k]) + [ref_mth(data[k:])]
    return ref_path(m - k, data[k:]) + [ref_mth(data[:k])]


def ref_subproof(m: int, data: list[bytes], b: bool) -> list[bytes]:
    n = len(data)
    if m == n:
        return [] if b else [ref_mth(data)]
    k = _k(n)
    if m <= k:
        return ref_subproof(m, data[:k], b) + [ref_mth(data[k:])]
    return ref_subproof(m - k, data[k:], False) + [ref_mth(data[:k])]


def _data(n: int) -> list[bytes]:
    return [f"entry {i}".encode() for i in range(n)]


def _tree(data: list[bytes]) -> MerkleTree:
    return MerkleTree(leaf_hash(d) for d in data)


def test_hashes_match_the_rfc_hasher_vectors():
    assert leaf_hash(b"").hex() == ROOTS[1]
    assert (
        leaf_hash(b"L123456").hex()
        == "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    )
    assert (
        node_hash(b"N123", b"N456").hex()
        == "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    )
    assert EMPTY_ROOT.hex() == ROOTS[0]


def test_roots_match_the_reference_vectors_at_every_size():
    tree = _tree(LEAVES)
    for size, root in enumerate(ROOTS):
        assert tree.root(size).hex() == root
        assert _tree(LEAVES[:size]).root().hex() == root


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_proofs_match_the_reference_vectors(index, size, path):
    tree = _tree(LEAVES)
    proof = tree.inclusion_proof(index, size)
    assert [p.hex() for p in proof] == path
    verify_inclusion(
        leaf=leaf_hash(LEAVES[index]),
        index=index,
        size=size,
        path=proof,
        root=bytes.fromhex(ROOTS[size]),
    )


@pytest.mark.parametrize(("first", "second", "path"), CONSISTENCY)
def test_consistency_proofs_match_the_reference_vectors(first, second, path):
    tree = _tree(LEAVES)
    proof = tree.consistency_proof(first, second)
    assert [p.hex() for p in proof] == path
    verify_consistency(
        first=first,
        second=second,
        first_root=bytes.fromhex(ROOTS[first]),
        second_root=bytes.fromhex(ROOTS[second]),
        path=proof,
    )


def test_every_root_and_inclusion_proof_up_to_70_leaves_matches_the_plain_recursion():
    data = _data(70)
    tree = _tree(data)
    for size in range(1, 71):
        root = ref_mth(data[:size])
        assert tree.root(size) == root
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            assert proof == ref_path(index, data[:size])
            verify_inclusion(
                leaf=leaf_hash(data[index]), index=index, size=size, path=proof, root=root
            )


def test_every_consistency_proof_up_to_40_leaves_matches_the_plain_recursion():
    data = _data(40)
    tree = _tree(data)
    for second in range(1, 41):
        for first in range(1, second + 1):
            proof = tree.consistency_proof(first, second)
            assert proof == ref_subproof(first, data[:second], True)
            verify_consistency(
                first=first,
                second=second,
                first_root=ref_mth(data[:first]),
                second_root=ref_mth(data[:second]),
                path=proof,
            )


def test_large_trees_agree_with_the_plain_recursion():
    data = _data(1000)
    tree = _tree(data)
    for size in (511, 512, 513, 777, 1000):
        assert tree.root(size) == ref_mth(data[:size])
        for index in (0, size // 3, size - 1):
            assert tree.inclusion_proof(index, size) == ref_path(index, data[:size])


def _corrupt_inclusion(index: int, size: int, path: list[bytes]):
    yield index + 1, size, path
    if index:
        yield index - 1, size, path
    yield index ^ 2, size, path
    yield index, size * 2, path
    if size // 2 > index:
        yield index, size // 2, path
    yield index, size, [*path, b"\0" * 32]
    yield index, size, [b"\0" * 32, *path]
    for i in range(len(path)):
        flipped = bytearray(path[i])
        flipped[0] ^= 8
        yield index, size, [*path[:i], bytes(flipped), *path[i + 1 :]]
    if path:
        yield index, size, path[:-1]


def test_any_change_to_an_inclusion_proof_fails():
    data = _data(37)
    tree = _tree(data)
    for size in (1, 2, 3, 8, 13, 37):
        root = tree.root(size)
        for index in range(size):
            leaf = leaf_hash(data[index])
            path = tree.inclusion_proof(index, size)
            for i, s, p in _corrupt_inclusion(index, size, path):
                if (i, s, p) == (index, size, path) or not 0 <= i < s:
                    continue
                with pytest.raises(ProofError):
                    verify_inclusion(leaf=leaf, index=i, size=s, path=p, root=root)
            with pytest.raises(ProofError):
                verify_inclusion(
                    leaf=leaf_hash(b"another fact"), index=index, size=size, path=path, root=root
                )
            with pytest.raises(ProofError):
                verify_inclusion(leaf=leaf, index=index, size=size, path=path, root=EMPTY_ROOT)


def test_any_change_to_a_consistency_proof_fails():
    data = _data(20)
    tree = _tree(data)
    for second in range(2, 21):
        for first in range(1, second):
            path = tree.consistency_proof(first, second)
            a, b = tree.root(first), tree.root(second)
            rewritten = _tree([*data[: first - 1], b"rewritten", *data[first:second]]).root()
            with pytest.raises(ProofError):
                verify_consistency(
                    first=first, second=second, first_root=a, second_root=rewritten, path=path
                )
            for i in range(len(path)):
                flipped = bytearray(path[i])
                flipped[0] ^= 8
                bad = [*path[:i], bytes(flipped), *path[i + 1 :]]
                with pytest.raises(ProofError):
                    verify_consistency(
                        first=first, second=second, first_root=a, second_root=b, path=bad
                    )
            with pytest.raises(ProofError):
                verify_consistency(
                    first=first, second=second, first_root=a, second_root=b, path=path[:-1]
                )


def test_indices_outside_the_tree_are_refused():
    with pytest.raises(ProofError):
        root_from_inclusion(leaf=leaf_hash(b""), index=1, size=1, path=[])
    with pytest.raises(ProofError):
        root_from_inclusion(leaf=leaf_hash(b""), index=0, size=0, path=[])
    with pytest.raises(ValueError):
        _tree(LEAVES).inclusion_proof(8, 8)
    with pytest.raises(ValueError):
        _tree(LEAVES).root(9)
