"""Coreference of pronouns and definite descriptions (kg/extract/coref.py).

Each row is a short story written for this test and a (subject, property,
object) triple that must (positive) or must not (negative) be read from it.
"""

from __future__ import annotations

import pytest

US, CN = "United States", "China"

RESOLVED = [
    # a nationality in the description picks the company of that nationality
    ("Taiwan's TSMC supplies chips to Huawei. The United States sanctioned Micron Technology, "
     "an American company. The Taiwanese chipmaker criticized the sanctions.",
     ("TSMC", "opposes", US)),
    # spun text: a company called an agency, with a company-like modifier
    ("Washington sanctioned Huawei in May. The Chinese telecoms agency said it would sue "
     "the United States.", ("Huawei", "sues", US)),
    # "the two companies", "both firms": the two named together
    ("Washington sanctioned Huawei and ZTE. The two companies criticized the sanctions.",
     ("ZTE", "opposes", US)),
    ("Washington blacklisted Huawei, ZTE and Xiaomi. Later it sanctioned Huawei and ZTE. "
     "Both firms criticized the sanctions.", ("Huawei", "opposes", US)),
    # a cleft's "it" is the name in focus
    ("It was Huawei that sued the United States.", ("Huawei", "sues", US)),
    # an object pronoun is not its own clause's subject
    ("Huawei criticized Washington. The United States then sanctioned it.",
     (US, "sanctions", "Huawei")),
    # "the company" after its product and owner
    ("ByteDance owns TikTok. The company sued the United States.", ("ByteDance", "sues", US)),
    # a description as the subject of the clause above a pronoun
    ("Washington banned ZTE in April. The firm said that it would sue the United States.",
     ("ZTE", "sues", US)),
]

NOT_RESOLVED = [
    # a court is only ever a court, never the ministry named before
    ("The Commerce Department banned WeChat. The court blocked the ban on Sunday.",
     ("US Department of Commerce", "blocks", "WeChat")),
    # "the Taiwanese chipmaker" is not the U.S. company named last
    ("Taiwan's TSMC supplies chips to Huawei. The United States sanctioned Micron Technology, "
     "an American company. The Taiwanese chipmaker criticized the sanctions.",
     ("Micron Technology", "basedIn", "Taiwan")),
    ("Taiwan's TSMC supplies chips to Huawei. The United States sanctioned Micron Technology, "
     "an American company. The Taiwanese chipmaker criticized the sanctions.",
     ("Huawei", "opposes", US)),
    # "its companies" are the companies of "it", not the company named last
    ("Huawei sued the United States. Beijing said it would defend its companies against "
     "the sanctions.", ("Huawei", "opposes", US)),
    # cataphora: no antecedent before, no guess forward
    ("The company sued the United States. TikTok said it would fight the ban.",
     ("TikTok", "sues", US)),
    # "the two companies" among three named: only a pair named together
    ("Washington sanctioned Huawei. Xiaomi and ZTE were spared. The two companies welcomed "
     "the decision.", ("Huawei", "supports", US)),
    # "the Chinese agency" is no U.S. body
    ("The Commerce Department banned Huawei. The Chinese agency said it would sue.",
     ("US Department of Commerce", "sues", US)),
]


@pytest.mark.parametrize(("text", "triple"), RESOLVED)
def test_coreference_resolves(facts, text, triple):
    found = facts(text)
    assert triple in found, found


@pytest.mark.parametrize(("text", "triple"), NOT_RESOLVED)
def test_coreference_does_not_guess(facts, text, triple):
    found = facts(text)
    assert triple not in found, found
