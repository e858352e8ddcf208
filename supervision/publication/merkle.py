"""Merkle trees as RFC 9162 (Certificate Transparency 2.0) defines them, §2.1.

Pure: no database, no keys. A leaf's hash is SHA-256(0x00 || data), an interior
node's SHA-256(0x01 || left || right); a tree of n > 1 leaves splits at the largest
power of two below n. `MerkleTree` keeps every complete, aligned subtree hash (they
never change as the tree grows), so roots and proofs for any earlier size cost
O(log² n) hashes, not a pass over the leaves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    """A proof does not hold; the message says where it broke."""


def leaf_hash(data: bytes) -> bytes:
    """The hash of one leaf: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly below n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    """An append-only tree of leaf hashes: roots, inclusion and consistency proofs."""

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        # levels[j] holds the hashes of the complete subtrees of 2**j leaves, left to right
        self._levels: list[bytearray] = [bytearray()]
        for leaf in leaves:
            self.append(leaf)

    @property
    def size(self) -> int:
        return len(self._levels[0]) // HASH_SIZE

    def append(self, leaf: bytes) -> None:
        """Add a leaf hash (already hashed with `leaf_hash`)."""
        if len(leaf) != HASH_SIZE:
            raise ValueError("a leaf hash is 32 bytes")
        level, digest = 0, leaf
        while True:
            row = self._levels[level]
            row += digest
            count = len(row) // HASH_SIZE
            if count % 2:
                return
            digest = node_hash(bytes(row[-2 * HASH_SIZE : -HASH_SIZE]), bytes(row[-HASH_SIZE:]))
            level += 1
            if level == len(self._levels):
                self._levels.append(bytearray())

    def leaf(self, index: int) -> bytes:
        return self._node(0, index)

    def _node(self, level: int, index: int) -> bytes:
        start = index * HASH_SIZE
        return bytes(self._levels[level][start : start + HASH_SIZE])

    def _hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range the RFC's recursion visits."""
        n = end - start
        if n & (n - 1) == 0:  # a power of two, aligned: kept
            return self._node(n.bit_length() - 1, start // n)
        k = _split(n)
        return node_hash(self._hash(start, start + k), self._hash(start + k, end))

    def _check_size(self, size: int | None) -> int:
        size = self.size if size is None else size
        if not 0 <= size <= self.size:
            raise ValueError(f"the tree has {self.size} leaves, not {size}")
        return size

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first `size` leaves (default: all)."""
        size = self._check_size(size)
        return EMPTY_ROOT if size == 0 else self._hash(0, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[size]), RFC 9162 §2.1.3.1."""
        size = self._check_size(size)
        if not 0 <= index < size:
            raise ValueError(f"leaf {index} is not in a tree of {size}")
        path: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                path.append(self._hash(start + k, end))
                end = start + k
            else:
                path.append(self._hash(start, start + k))
                start += k
        path.reverse()  # the RFC lists the path from the leaf up
        return path

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        """PROOF(first, D[second]), RFC 9162 §2.1.4.1."""
        second = self._check_size(second)
        if not 0 < first <= second:
            raise ValueError(f"no consistency proof from {first} to {second} leaves")
        path: list[bytes] = []
        start, end, m, complete = 0, second, first, True
        while m != end - start:
            k = _split(end - start)
            if m <= k:
                path.append(self._hash(start + k, end))
                end = start + k
            else:
                path.append(self._hash(start, start + k))
                start, m, complete = start + k, m - k, False
        if not complete:
            path.append(self._hash(start, end))
        path.reverse()
        return path


def root_from_inclusion(*, leaf: bytes, index: int, size: int, path: Sequence[bytes]) -> bytes:
    """The root an inclusion path leads to from a leaf hash (RFC 9162 §2.1.3.2)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of {size}")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if len(p) != HASH_SIZE:
            raise ProofError("a hash of the path is not 32 bytes")
        if sn == 0:
            raise ProofError("the path is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the path is shorter than the tree is deep")
    return r


def verify_inclusion(
    *, leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> None:
    """Raise ProofError unless `path` proves the leaf at `index` in the tree of `root`."""
    if root_from_inclusion(leaf=leaf, index=index, size=size, path=path) != root:
        raise ProofError("the path does not lead to the root")


def verify_consistency(
    *, first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]
) -> None:
    """Raise ProofError unless the tree of `second_root` extends that of `first_root`.

    RFC 9162 §2.1.4.2; equal sizes need an empty path and equal roots.
    """
    if not 0 < first <= second:
        raise ProofError(f"no consistency between {first} and {second} leaves")
    if any(len(c) != HASH_SIZE for c in path):
        raise ProofError("a hash of the path is not 32 bytes")
    if first == second:
        if path or first_root != second_root:
            raise ProofError("equal sizes need equal roots and an empty path")
        return
    if not path:
        raise ProofError("the path is empty")
    path = list(path)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the path is longer than the trees are deep")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the path is shorter than the trees are deep")
    if fr != first_root:
        raise ProofError("the path does not lead to the first root")
    if sr != second_root:
        raise ProofError("the path does not lead to the second root")
