"""Business relations (kg/extract/business.py) on sentences written for these tests."""

from __future__ import annotations

import pytest

POSITIVE = [
    # supplies: passive use with a possessive relative, and with an agent
    ("Huawei, whose equipment is already used in the networks of Vodafone and Telstra, "
     "lobbied for a role.", ("Huawei", "supplies", "Vodafone")),
    ("Huawei, whose equipment is already used in the networks of Vodafone and Telstra, "
     "lobbied for a role.", ("Huawei", "supplies", "Telstra")),
    # supplies: counted among / as customers (read backwards)
    ("Nokia counted Samsung among its largest customers.",
     ("Nokia", "supplies", "Samsung Electronics")),
    ("Intel, which counts Apple as its biggest buyer, cut prices.",
     ("Intel", "supplies", "Apple")),
    # supplies: the source of a purchase
    ("Toyota and Honda buy most of their batteries from Japanese suppliers.",
     ("Japanese suppliers", "supplies", "Honda")),
    # supplies: the beneficiary of a production verb
    ("Infineon makes chips for carmakers and phone makers.",
     ("Infineon Technologies", "supplies", "carmakers")),
    ("Infineon turns out millions of chips a year for carmakers.",
     ("Infineon Technologies", "supplies", "carmakers")),
    ("Ericsson is building 5G networks for Vodafone.", ("Ericsson", "supplies", "Vodafone")),
    # acquires
    ("Siemens took full control of Nexperia in a deal worth $10 million.",
     ("Siemens", "acquires", "Nexperia")),
    ("Nexperia, which Wingtech took full control of in 2019, said it would comply.",
     ("Wingtech", "acquires", "Nexperia")),
    ("Tencent completed its purchase of a controlling stake in Nexperia in 2016.",
     ("Tencent", "acquires", "Nexperia")),
    ("Tencent bought into Nexperia in 2016.", ("Tencent", "acquires", "Nexperia")),
    ("Samsung Electronics, which Geely bought from Ford in 2010, said it would comply.",
     ("Geely", "acquires", "Samsung Electronics")),
]

NEGATIVE = [
    # a firm using a technology field is not supplied by it
    ("Vodafone uses 5G in its networks.", "supplies"),
    # buying a firm from its owner is no supply by the seller
    ("Samsung Electronics, which Geely bought from Ford in 2010, said it would comply.",
     ("Ford", "supplies", "Geely")),
    # a blocked acquisition is not an acquisition
    ("Regulators blocked Tencent's takeover of Nexperia.", ("Tencent", "acquires", "Nexperia")),
    ("Tencent was barred from buying 70% of Nexperia.", ("Tencent", "acquires", "Nexperia")),
    # a prohibited purchase is an exclusion, not a supply
    ("Regulators told Vodafone to stop buying equipment from Huawei.",
     ("Huawei", "supplies", "Vodafone")),
    # making a case for someone supplies nothing
    ("Nokia made a strong case for Vodafone.", ("Nokia", "supplies", "Vodafone")),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE, ids=[t[:40] for t, _ in POSITIVE])
def test_business_positive(facts, text, expected):
    found = facts(text)
    assert expected in found, found


@pytest.mark.parametrize(("text", "unwanted"), NEGATIVE, ids=[t[:40] for t, _ in NEGATIVE])
def test_business_negative(facts, text, unwanted):
    found = facts(text)
    if isinstance(unwanted, str):
        assert not any(p == unwanted for _, p, _ in found), found
    else:
        assert unwanted not in found, found
