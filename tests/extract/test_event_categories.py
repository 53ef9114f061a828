"""Every core property, read from at least five constructions of its event category.

Each row is (property, a sentence written for this test, the expected
(subject, property, object) triple). The sentences vary the construction:
verbs, particles, prepositions, nominalizations with light verbs, passives,
relative clauses, appositions. A denial's object is a claim: "CLAIM:words"
matches any claim whose text contains those words.
"""

from __future__ import annotations

from collections import Counter

import pytest

US, CN, UK, IN = "United States", "China", "United Kingdom", "India"
FCC = "Federal Communications Commission"
BRI = "Belt and Road Initiative"
CLEAN = "Clean Network"
RESTRICT = "RESTRICT Act"
PHASE_ONE = "Phase One trade deal"

CORE = ("bans sanctions restricts excludes accuses designatesAsThreat denies opposes threatens "
        "launches joins supports cooperatesWith pressures investigates sues blocks acquires owns "
        "basedIn officialOf memberOf supplies").split()

COERCE_SANCTION = [
    ("bans", "India banned TikTok in June.", (IN, "bans", "TikTok")),
    ("bans", "WeChat was banned by the United States.", (US, "bans", "WeChat")),
    ("bans", "The United States imposed a ban on TikTok.", (US, "bans", "TikTok")),
    ("bans", "Pakistan outlawed PUBG Mobile last year.", ("Pakistan", "bans", "PUBG Mobile")),
    ("bans", "Russia prohibited Facebook in March.", ("Russia", "bans", "Facebook")),
    ("bans", "Washington's ban on WeChat took effect on Sunday.", (US, "bans", "WeChat")),
    ("bans", "Iran blocked Instagram.", ("Iran", "bans", "Instagram")),
    ("bans", "Australia moved to ban DeepSeek.", ("Australia", "bans", "DeepSeek")),
    ("bans", "TikTok, which India banned in 2020, remains popular elsewhere.",
     (IN, "bans", "TikTok")),
    ("sanctions", "The United States sanctioned Huawei.", (US, "sanctions", "Huawei")),
    ("sanctions", "ZTE was sanctioned by Washington.", (US, "sanctions", "ZTE")),
    ("sanctions", "The European Union imposed sanctions on Russia.",
     ("European Union", "sanctions", "Russia")),
    ("sanctions", "The United States blacklisted SMIC in December.", (US, "sanctions", "SMIC")),
    ("sanctions", "The United States added Hikvision to the Entity List.",
     (US, "sanctions", "Hikvision")),
    ("sanctions", "China announced penalties against Lockheed Martin.",
     (CN, "sanctions", "Lockheed Martin")),
    ("sanctions", "The United States imposed an embargo on Cuba.", (US, "sanctions", "Cuba")),
    ("sanctions", "China penalized Micron Technology.", (CN, "sanctions", "Micron Technology")),
    ("sanctions", "The Treasury placed Huawei on a blacklist.",
     ("US Department of the Treasury", "sanctions", "Huawei")),
    ("restricts", "The United States restricted exports to Huawei.", (US, "restricts", "Huawei")),
    ("restricts", "Washington curbed chip sales to China.", (US, "restricts", CN)),
    ("restricts", "Japan imposed export controls on South Korea.",
     ("Japan", "restricts", "South Korea")),
    ("restricts", "The United States placed restrictions on SMIC.", (US, "restricts", "SMIC")),
    ("restricts", "The United States barred ZTE from buying American components.",
     (US, "restricts", "ZTE")),
    ("restricts", "China cracked down on Alibaba Group.", (CN, "restricts", "Alibaba Group")),
    ("restricts", "Huawei was restricted by the United States.", (US, "restricts", "Huawei")),
    ("restricts", "The United States cut off Huawei from American suppliers.",
     (US, "restricts", "Huawei")),
    ("excludes", "The United Kingdom excluded Huawei from its 5G network.",
     (UK, "excludes", "Huawei")),
    ("excludes", "Sweden barred Huawei from its 5G networks.", ("Sweden", "excludes", "Huawei")),
    ("excludes", "ZTE was excluded by India from its 5G trials.", (IN, "excludes", "ZTE")),
    ("excludes", "Canada kept Huawei out of its 5G networks.", ("Canada", "excludes", "Huawei")),
    ("excludes", "Italy removed ZTE from its network.", ("Italy", "excludes", "ZTE")),
    ("excludes", "Japan dropped Huawei from its procurement list.",
     ("Japan", "excludes", "Huawei")),
    ("excludes", "The Clean Network excludes ZTE.", (CLEAN, "excludes", "ZTE")),
    ("excludes", "Germany locked out Huawei from its core network.",
     ("Germany", "excludes", "Huawei")),
    ("excludes", "Britain ordered Huawei out of its 5G network.", (UK, "excludes", "Huawei")),
    ("blocks", "The Supreme Court of the United States blocked the RESTRICT Act.",
     ("Supreme Court of the United States", "blocks", RESTRICT)),
    ("blocks", "The United States halted the Phase One trade deal.", (US, "blocks", PHASE_ONE)),
    ("blocks", "The Phase One trade deal was suspended by China.", (CN, "blocks", PHASE_ONE)),
    ("blocks", "The US Congress struck down the RESTRICT Act.",
     ("US Congress", "blocks", RESTRICT)),
    ("blocks", "Donald Trump vetoed the National Defense Authorization Act.",
     ("Donald Trump", "blocks", "National Defense Authorization Act")),
    ("blocks", "The European Parliament froze the Global Gateway.",
     ("European Parliament", "blocks", "Global Gateway")),
    ("blocks", "The US Senate set aside the RESTRICT Act.", ("US Senate", "blocks", RESTRICT)),
]

ACCUSE_THREATEN = [
    ("accuses", "The United States accused Huawei of espionage.", (US, "accuses", "Huawei")),
    ("accuses", "Huawei was accused by Washington of stealing trade secrets.",
     (US, "accuses", "Huawei")),
    ("accuses", "India blamed China for the attack.", (IN, "accuses", CN)),
    ("accuses", "The United States leveled accusations against Huawei.",
     (US, "accuses", "Huawei")),
    ("accuses", "The United States charged Huawei with fraud.", (US, "accuses", "Huawei")),
    ("accuses", "Australia raised concerns about Huawei.", ("Australia", "accuses", "Huawei")),
    ("accuses", "Japan filed a complaint against China.", ("Japan", "accuses", CN)),
    ("designatesAsThreat", "The United States labelled Huawei a national security threat.",
     (US, "designatesAsThreat", "Huawei")),
    ("designatesAsThreat", "The Federal Communications Commission designated ZTE a national "
     "security threat.", (FCC, "designatesAsThreat", "ZTE")),
    ("designatesAsThreat", "The United States regards Huawei as a security risk.",
     (US, "designatesAsThreat", "Huawei")),
    ("designatesAsThreat", "India deemed TikTok a threat to its sovereignty.",
     (IN, "designatesAsThreat", "TikTok")),
    ("designatesAsThreat", "Washington views ZTE as a threat.", (US, "designatesAsThreat", "ZTE")),
    ("designatesAsThreat", "The United States branded Kaspersky Lab a security risk.",
     (US, "designatesAsThreat", "Kaspersky Lab")),
    ("designatesAsThreat", "The United States declared Huawei a threat to national security.",
     (US, "designatesAsThreat", "Huawei")),
    ("denies", "Canada said Huawei spied on its citizens. Huawei denied the allegations.",
     ("Huawei", "denies", "CLAIM:spied")),
    ("denies", "Australia said ZTE leaked user data. ZTE denied that.",
     ("ZTE", "denies", "CLAIM:leaked")),
    ("denies", "India said TikTok shared data with Beijing. ByteDance rejected the accusations.",
     ("ByteDance", "denies", "CLAIM:shared data")),
    ("denies", "Japan said Hikvision cameras sent images abroad. Hikvision has refuted the claim.",
     ("Hikvision", "denies", "CLAIM:sent images")),
    ("denies", "Germany said DJI drones collected flight data. DJI disputed the report.",
     ("DJI", "denies", "CLAIM:collected")),
    ("denies", "The United States said Kaspersky Lab worked with Russian spies. "
     "Kaspersky Lab dismissed the charge.", ("Kaspersky Lab", "denies", "CLAIM:worked with")),
    ("denies", "Sweden said that Huawei posed a risk. The company denied the allegation.",
     ("Huawei", "denies", "CLAIM:posed a risk")),
    ("opposes", "China opposed the Clean Network.", (CN, "opposes", CLEAN)),
    ("opposes", "China criticized the United States.", (CN, "opposes", US)),
    ("opposes", "Beijing condemned Washington's decision.", (CN, "opposes", US)),
    ("opposes", "China voiced criticism of the Clean Network.", (CN, "opposes", CLEAN)),
    ("opposes", "China is firmly against the Clean Network.", (CN, "opposes", CLEAN)),
    ("opposes", "China objected to the Clean Network.", (CN, "opposes", CLEAN)),
    ("opposes", "China was disappointed by the United States.", (CN, "opposes", US)),
    ("opposes", "Beijing lashed out at Washington.", (CN, "opposes", US)),
    ("opposes", "The Clean Network was rejected by China.", (CN, "opposes", CLEAN)),
    ("threatens", "China threatened the United Kingdom with consequences.",
     (CN, "threatens", UK)),
    ("threatens", "China threatened retaliation against the United States.",
     (CN, "threatens", US)),
    ("threatens", "Beijing warned of consequences for Britain.", (CN, "threatens", UK)),
    ("threatens", "China vowed to retaliate against the United States.", (CN, "threatens", US)),
    ("threatens", "China threatened to ban Apple.", (CN, "threatens", "Apple")),
    ("threatens", "Beijing threatened countermeasures against Washington.",
     (CN, "threatens", US)),
    ("threatens", "China warned of retaliation against the United States.",
     (CN, "threatens", US)),
    ("sues", "TikTok sued the United States.", ("TikTok", "sues", US)),
    ("sues", "Xiaomi filed a lawsuit against the United States.", ("Xiaomi", "sues", US)),
    ("sues", "The United States was sued by TikTok.", ("TikTok", "sues", US)),
    ("sues", "Huawei brought a case against Verizon.", ("Huawei", "sues", "Verizon")),
    ("sues", "Huawei countersued Motorola Solutions.", ("Huawei", "sues", "Motorola Solutions")),
    ("sues", "The US Department of Justice indicted Huawei.",
     ("US Department of Justice", "sues", "Huawei")),
    ("sues", "Xiaomi appealed against the US Department of Defense.",
     ("Xiaomi", "sues", "US Department of Defense")),
]

COOPERATIVE = [
    ("launches", "China launched the Global Data Security Initiative.",
     (CN, "launches", "Global Data Security Initiative")),
    ("launches", "Mike Pompeo unveiled the Clean Network.", ("Mike Pompeo", "launches", CLEAN)),
    ("launches", "The Clean Network was launched by the United States.", (US, "launches", CLEAN)),
    ("launches", "China introduced the Global Security Initiative.",
     (CN, "launches", "Global Security Initiative")),
    ("launches", "The European Commission proposed the AI Act.",
     ("European Commission", "launches", "AI Act")),
    ("launches", "Xi Jinping initiated the Belt and Road Initiative.",
     ("Xi Jinping", "launches", BRI)),
    ("launches", "The European Union announced the Global Gateway.",
     ("European Union", "launches", "Global Gateway")),
    ("launches", "The Clean Network, which the United States launched in 2020, grew.",
     (US, "launches", CLEAN)),
    ("launches", "The Clean Network, launched by the United States, grew.",
     (US, "launches", CLEAN)),
    ("joins", "Poland joined the Clean Network.", ("Poland", "joins", CLEAN)),
    ("joins", "Japan participated in the Clean Network.", ("Japan", "joins", CLEAN)),
    ("joins", "Estonia signed on to the Clean Network.", ("Estonia", "joins", CLEAN)),
    ("joins", "The Clean Network was joined by Latvia.", ("Latvia", "joins", CLEAN)),
    ("joins", "Italy signed up to the Belt and Road Initiative.", ("Italy", "joins", BRI)),
    ("joins", "Poland and Romania joined the Clean Network.", ("Romania", "joins", CLEAN)),
    ("joins", "Greece entered into the Belt and Road Initiative.", ("Greece", "joins", BRI)),
    ("joins", "Panama, which joined the Belt and Road Initiative in 2017, left it.",
     ("Panama", "joins", BRI)),
    ("supports", "Japan supported the Clean Network.", ("Japan", "supports", CLEAN)),
    ("supports", "Australia endorsed the Clean Network.", ("Australia", "supports", CLEAN)),
    ("supports", "The Clean Network was backed by Japan.", ("Japan", "supports", CLEAN)),
    ("supports", "Pakistan welcomed the Belt and Road Initiative.", ("Pakistan", "supports", BRI)),
    ("supports", "Canada sided with the United States.", ("Canada", "supports", US)),
    ("supports", "Australia rallied behind the United States.", ("Australia", "supports", US)),
    ("supports", "Poland praised the Clean Network.", ("Poland", "supports", CLEAN)),
    ("supports", "Japan called the Clean Network important.", ("Japan", "supports", CLEAN)),
    ("cooperatesWith", "Huawei partnered with China Mobile.",
     ("Huawei", "cooperatesWith", "China Mobile")),
    ("cooperatesWith", "Nokia cooperated with Vodafone.", ("Nokia", "cooperatesWith", "Vodafone")),
    ("cooperatesWith", "Ericsson signed an agreement with Telia Company.",
     ("Ericsson", "cooperatesWith", "Telia Company")),
    ("cooperatesWith", "Samsung Electronics teamed up with Verizon.",
     ("Samsung Electronics", "cooperatesWith", "Verizon")),
    ("cooperatesWith", "Microsoft collaborated with OpenAI.",
     ("Microsoft", "cooperatesWith", "OpenAI")),
    ("cooperatesWith", "Alibaba Group struck a deal with Apple.",
     ("Alibaba Group", "cooperatesWith", "Apple")),
    ("cooperatesWith", "Nokia and Vodafone cooperated on Open RAN.",
     ("Nokia", "cooperatesWith", "Vodafone")),
    ("cooperatesWith", "India formed a partnership with Japan.", (IN, "cooperatesWith", "Japan")),
]

DEMAND_INVESTIGATE = [
    ("pressures", "The United States urged the United Kingdom to drop Huawei.",
     (US, "pressures", UK)),
    ("pressures", "Washington pressed Germany to exclude Huawei.", (US, "pressures", "Germany")),
    ("pressures", "The United States called on Germany to ban Huawei.",
     (US, "pressures", "Germany")),
    ("pressures", "Germany was pressured by the United States to ban Huawei.",
     (US, "pressures", "Germany")),
    ("pressures", "The United States lobbied Canada to exclude Huawei.",
     (US, "pressures", "Canada")),
    ("pressures", "The United States told the Netherlands to halt sales to China.",
     (US, "pressures", "Netherlands")),
    ("pressures", "China demanded that Canada release Meng Wanzhou.", (CN, "pressures", "Canada")),
    ("pressures", "The United States dissuaded Italy from joining the Belt and Road Initiative.",
     (US, "pressures", "Italy")),
    ("pressures", "The United States warned Italy against joining the Belt and Road Initiative.",
     (US, "pressures", "Italy")),
    ("investigates", "The European Commission investigated TikTok.",
     ("European Commission", "investigates", "TikTok")),
    ("investigates", "The United States launched an investigation into TikTok.",
     (US, "investigates", "TikTok")),
    ("investigates", "India opened a probe into Xiaomi.", (IN, "investigates", "Xiaomi")),
    ("investigates", "Huawei was investigated by the Federal Bureau of Investigation.",
     ("Federal Bureau of Investigation", "investigates", "Huawei")),
    ("investigates", "The Federal Communications Commission reviewed China Telecom.",
     (FCC, "investigates", "China Telecom")),
    ("investigates", "The United Kingdom launched an inquiry into Huawei.",
     (UK, "investigates", "Huawei")),
    ("investigates", "Germany scrutinized Huawei.", ("Germany", "investigates", "Huawei")),
    ("investigates", "China's investigation of Micron Technology ended in May.",
     (CN, "investigates", "Micron Technology")),
]

OTHER_STRUCTURAL = [
    ("acquires", "Microsoft bought TikTok.", ("Microsoft", "acquires", "TikTok")),
    ("acquires", "Nexperia was acquired by Wingtech.", ("Wingtech", "acquires", "Nexperia")),
    ("acquires", "Walmart took a stake in TikTok.", ("Walmart", "acquires", "TikTok")),
    ("acquires", "Uber merged with Didi Global.", ("Uber", "acquires", "Didi Global")),
    ("acquires", "Nexperia, which Wingtech acquired in 2019, makes chips.",
     ("Wingtech", "acquires", "Nexperia")),
    ("acquires", "SoftBank Group purchased Arm Holdings.",
     ("SoftBank Group", "acquires", "Arm Holdings")),
    ("acquires", "Microsoft absorbed Skype.", ("Microsoft", "acquires", "Skype")),
    ("acquires", "Microsoft completed its acquisition of Skype.",
     ("Microsoft", "acquires", "Skype")),
    ("owns", "ByteDance owns TikTok.", ("ByteDance", "owns", "TikTok")),
    ("owns", "TikTok is owned by ByteDance.", ("ByteDance", "owns", "TikTok")),
    ("owns", "India fined ByteDance, TikTok's parent.", ("ByteDance", "owns", "TikTok")),
    ("owns", "Tencent operates WeChat.", ("Tencent", "owns", "WeChat")),
    ("owns", "Huawei's chip unit HiSilicon was sanctioned.", ("Huawei", "owns", "HiSilicon")),
    ("owns", "Google developed Android.", ("Google", "owns", "Android")),
    ("owns", "WeChat, which Tencent owns, was banned.", ("Tencent", "owns", "WeChat")),
    ("owns", "Ant Group, a subsidiary of Alibaba Group, was fined.",
     ("Alibaba Group", "owns", "Ant Group")),
    ("basedIn", "The Chinese company Huawei was banned.", ("Huawei", "basedIn", CN)),
    ("basedIn", "Nokia, the Finnish telecoms group, won the contract.",
     ("Nokia", "basedIn", "Finland")),
    ("basedIn", "Japan's Toshiba sold the unit.", ("Toshiba", "basedIn", "Japan")),
    ("basedIn", "Regulators named Chinese firms such as Dahua Technology.",
     ("Dahua Technology", "basedIn", CN)),
    ("basedIn", "Beijing-based ByteDance was fined.", ("ByteDance", "basedIn", CN)),
    ("basedIn", "Huawei, the Shenzhen-based company, was banned.", ("Huawei", "basedIn", CN)),
    ("basedIn", "ZTE, a Chinese telecoms equipment maker, was fined.", ("ZTE", "basedIn", CN)),
    ("basedIn", "South Korea's Samsung Electronics and SK Hynix stayed quiet.",
     ("SK Hynix", "basedIn", "South Korea")),
    ("officialOf", "U.S. Secretary of State Antony Blinken spoke on Monday.",
     ("Antony Blinken", "officialOf", US)),
    ("officialOf", "Chinese Foreign Minister Wang Yi spoke on Monday.",
     ("Wang Yi", "officialOf", CN)),
    ("officialOf", "Huawei founder Ren Zhengfei spoke on Monday.",
     ("Ren Zhengfei", "officialOf", "Huawei")),
    ("officialOf", "Tim Cook, the chief executive of Apple, spoke on Monday.",
     ("Tim Cook", "officialOf", "Apple")),
    ("officialOf", "Jensen Huang, who heads Nvidia, spoke on Monday.",
     ("Jensen Huang", "officialOf", "Nvidia")),
    ("officialOf", "Commerce Secretary Howard Lutnick spoke on Monday.",
     ("Howard Lutnick", "officialOf", US)),
    ("officialOf", "Mao Ning, a spokeswoman for the Chinese Ministry of Foreign Affairs, spoke.",
     ("Mao Ning", "officialOf", "Chinese Ministry of Foreign Affairs")),
    ("officialOf", "Sundar Pichai, Google's chief executive, spoke on Monday.",
     ("Sundar Pichai", "officialOf", "Google")),
    ("memberOf", "The Quad, an alliance that includes Japan and India, met.",
     ("Japan", "memberOf", "Quad")),
    ("memberOf", "Italy was the first of the G7 countries to join the Belt and Road Initiative.",
     ("Italy", "memberOf", "G7")),
    ("memberOf", "The G7 comprises Canada, France and Japan.", ("Canada", "memberOf", "G7")),
    ("memberOf", "Canada was the only G7 member to act.", ("Canada", "memberOf", "G7")),
    ("memberOf", "Republican Senator Tom Cotton wrote the bill.",
     ("Tom Cotton", "memberOf", "Republican Party")),
    ("memberOf", "Democrat Nancy Pelosi wrote the bill.",
     ("Nancy Pelosi", "memberOf", "Democratic Party")),
    ("supplies", "Huawei supplies Vodafone.", ("Huawei", "supplies", "Vodafone")),
    ("supplies", "Huawei sells equipment to Telefónica.", ("Huawei", "supplies", "Telefónica")),
    ("supplies", "BT Group uses Huawei equipment.", ("Huawei", "supplies", "BT Group")),
    ("supplies", "Huawei equipment is used by BT Group.", ("Huawei", "supplies", "BT Group")),
    ("supplies", "Apple relies on TSMC.", ("TSMC", "supplies", "Apple")),
    ("supplies", "Huawei, Vodafone's supplier, was named.", ("Huawei", "supplies", "Vodafone")),
    ("supplies", "Apple, TSMC's biggest customer, grew.", ("TSMC", "supplies", "Apple")),
    ("supplies", "ASML exported machines to China.", ("ASML", "supplies", CN)),
]

# Constructions the extractor learned after they were reported as gaps.
MENDED = [
    ("sanctions", "The European Commission fined Google.",
     ("European Commission", "sanctions", "Google")),
    ("sanctions", "The United Kingdom fined Huawei.", (UK, "sanctions", "Huawei")),
    ("restricts", "The United States reined in Huawei.", (US, "restricts", "Huawei")),
    ("excludes", "Australia shut Huawei out of its 5G network.",
     ("Australia", "excludes", "Huawei")),
    ("designatesAsThreat", "Huawei was designated a national security threat by the Federal "
     "Communications Commission.", (FCC, "designatesAsThreat", "Huawei")),
    ("designatesAsThreat", "The Federal Communications Commission considers Huawei a national "
     "security threat.", (FCC, "designatesAsThreat", "Huawei")),
    ("joins", "Italy took part in the Belt and Road Initiative.", ("Italy", "joins", BRI)),
    ("supports", "Japan expressed support for the Clean Network.", ("Japan", "supports", CLEAN)),
    ("sues", "TikTok took the United States to court.", ("TikTok", "sues", US)),
    ("basedIn", "Huawei is based in China.", ("Huawei", "basedIn", CN)),
    ("supplies", "Huawei supplied equipment to Vodafone.", ("Huawei", "supplies", "Vodafone")),
    ("supplies", "Ericsson provides equipment to Telia Company.",
     ("Ericsson", "supplies", "Telia Company")),
    ("memberOf", "Estonia is a member of NATO.", ("Estonia", "memberOf", "NATO")),
    ("memberOf", "NATO member Poland banned the app.", ("Poland", "memberOf", "NATO")),
    ("memberOf", "Japan, a G7 member, banned the app.", ("Japan", "memberOf", "G7")),
    ("supplies", "Samsung Electronics, a supplier of Apple, grew.",
     ("Samsung Electronics", "supplies", "Apple")),
    ("pressures", "China summoned the U.S. ambassador.", (CN, "pressures", US)),
    ("basedIn", "Huawei, headquartered in China, was banned.", ("Huawei", "basedIn", CN)),
    ("basedIn", "Ericsson of Sweden won the contract.", ("Ericsson", "basedIn", "Sweden")),
    ("basedIn", "Nokia is a Finnish company.", ("Nokia", "basedIn", "Finland")),
]

CASES = (COERCE_SANCTION + ACCUSE_THREATEN + COOPERATIVE + DEMAND_INVESTIGATE + OTHER_STRUCTURAL
         + MENDED)

# Ordinary constructions the extractor does not read yet. They are reported to
# the extractor's maintainers; strict, so a fix shows up as XPASS and the row
# moves into the tables above.
GAPS = [
    ("bans", "The app that India banned was TikTok.", (IN, "bans", "TikTok")),
    ("restricts", "The United States limited Nvidia's sales to China.", (US, "restricts", CN)),
    ("threatens", "The United States sanctioned Huawei. China vowed to hit back.",
     (CN, "threatens", US)),
    ("supplies", "Vodafone's supplier Huawei was named.", ("Huawei", "supplies", "Vodafone")),
]


def _matches(found: set[tuple[str, str, str]], expected: tuple[str, str, str]) -> bool:
    """Whether ``expected`` was extracted; a "CLAIM:words" object matches any
    claim object whose text contains the words."""
    subject, prop, obj = expected
    if not obj.startswith("CLAIM:"):
        return expected in found
    words = obj.removeprefix("CLAIM:").lower()
    return any(s == subject and p == prop and o.startswith("CLAIM:") and words in o.lower()
               for s, p, o in found)


def _ids(rows) -> list[str]:
    """Readable test ids: property and the sentence's first words."""
    return [f"{prop}:{text[:48]}" for prop, text, _ in rows]


@pytest.mark.parametrize(("prop", "text", "expected"), CASES, ids=_ids(CASES))
def test_event_category_construction(facts, prop, text, expected):
    """Each construction yields its triple."""
    assert expected[1] == prop
    found = facts(text)
    assert _matches(found, expected), sorted(found)


@pytest.mark.parametrize(("prop", "text", "expected"), [
    pytest.param(*row, marks=pytest.mark.xfail(strict=True, reason="extractor gap, reported"))
    for row in GAPS], ids=_ids(GAPS))
def test_event_category_gap(facts, prop, text, expected):
    """Constructions still to be covered by the extractor (see GAPS)."""
    assert _matches(facts(text), expected)


def test_event_categories_five_constructions_per_property():
    """At least five distinct sentences per core property, each row self-consistent."""
    assert all(expected[1] == prop for prop, _, expected in CASES)
    assert len({text for _, text, _ in CASES}) == len(CASES), "a sentence is listed twice"
    counts = Counter(prop for prop, _ in {(prop, text) for prop, text, _ in CASES})
    short = {prop: counts[prop] for prop in CORE if counts[prop] < 5}
    assert not short, short
    assert set(counts) <= set(CORE)
