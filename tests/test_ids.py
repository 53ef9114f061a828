"""Tests for kg.ids: slugs and the IRI minter."""

from __future__ import annotations

import pytest

from kg.ids import MAX_SLUG, IriMinter, short_hash, slugify

BASE = "https://example.org/r/"


@pytest.mark.parametrize(("text", "expected"), [
    ("United States", "united-states"),
    ("Huawei Technologies Co., Ltd.", "huawei-technologies-co-ltd"),
    ("  5G   networks ", "5g-networks"),
    ("U.S.-China relations", "u-s-china-relations"),
    ("Zürich", "zurich"),
    ("Curaçao", "curacao"),
    ("São Tomé and Príncipe", "sao-tome-and-principe"),
    ("ﬁnance", "finance"),  # a ligature folds to its letters
])
def test_ids_slugify_ascii(text, expected):
    assert slugify(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "!!!", "—", "北京"])
def test_ids_slugify_nothing_left_is_empty(text):
    assert slugify(text) == ""


@pytest.mark.parametrize("text", [
    "a" * 200,
    "ab " * 40,  # the cut lands on a hyphen, which must not be kept
    "word-" * 30,
])
def test_ids_slugify_length_cap(text):
    slug = slugify(text)
    assert 0 < len(slug) <= MAX_SLUG
    assert not slug.endswith("-")
    assert not slug.startswith("-")


def test_ids_slugify_is_idempotent():
    slug = slugify("Ministry of Industry & Information Technology")
    assert slugify(slug) == slug


def test_ids_minter_same_key_same_iri():
    minter = IriMinter(BASE)
    first = minter.mint("key-1", "Orbital Dynamics")
    assert first == BASE + "orbital-dynamics"
    # the name is only read the first time: the key decides
    assert minter.mint("key-1", "Something Else") == first


def test_ids_minter_collision_gets_hash_suffix():
    minter = IriMinter(BASE)
    first = minter.mint("key-1", "Orbital Dynamics")
    second = minter.mint("key-2", "orbital   dynamics")
    assert second != first
    assert second == f"{BASE}orbital-dynamics-{short_hash('key-2', length=8)}"


def test_ids_minter_is_stable_across_instances():
    # the same keys minted in the same order give the same IRIs in a new build
    names = [("k1", "Acme"), ("k2", "ACME"), ("k3", "Zeta")]
    one, two = IriMinter(BASE), IriMinter(BASE)
    first = [one.mint(k, n) for k, n in names]
    assert [two.mint(k, n) for k, n in names] == first
    assert len(set(first)) == 3


def test_ids_minter_avoids_reserved():
    reserved = {BASE + "china", BASE + "huawei"}
    minter = IriMinter(BASE, reserved=reserved)
    iri = minter.mint("china telecom group", "China")
    assert iri not in reserved
    assert iri.startswith(BASE + "china-")


@pytest.mark.parametrize(("name", "prefix", "expected"), [
    ("News of the Day", "doc-", "doc-news-of-the-day"),
    ("", "", "x"),
    ("???", "claim-", "claim-x"),
])
def test_ids_minter_prefix_and_empty_name(name, prefix, expected):
    assert IriMinter(BASE).mint("k", name, prefix=prefix) == BASE + expected


def test_ids_minter_distinct_keys_distinct_iris():
    minter = IriMinter(BASE)
    iris = [minter.mint(f"k{i}", "Same Name") for i in range(20)]
    assert len(set(iris)) == 20


def test_ids_minter_suffixed_iri_avoids_reserved():
    suffixed = f"{BASE}acme-{short_hash('k', length=8)}"
    minter = IriMinter(BASE, reserved={BASE + "acme", suffixed})
    assert minter.mint("k", "Acme") not in {BASE + "acme", suffixed}
