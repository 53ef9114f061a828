"""Tests for kg.build.ingest: cleaning, spun-text repair, offsets, files and spinning.yaml."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kg.build.ingest import (
    IngestError,
    Spinning,
    clean_text,
    collect_sources,
    load_spinning,
    read_document,
    strip_markdown,
)
from kg.datatypes import SourceDoc
from kg.errors import KgError

HEADLINE = "Drone Makers Face Tighter Export Rules"
BODY = "The agency said on Tuesday that four exporters needed new licences."


def _doc(*lines: str, title: str = HEADLINE) -> SourceDoc:
    return clean_text("\n".join([title, *lines]) + "\n", "case.txt")


def _assert_offsets_exact(doc: SourceDoc) -> None:
    """Every copied character maps onto the same character of the original."""
    assert len(doc.offsets) == len(doc.text)
    invented = {i for start, end in doc.meta["synthetic_spans"] for i in range(start, end)}
    for i, char in enumerate(doc.text):
        source = doc.original[doc.offsets[i]]
        if i in invented:
            continue
        if char.isspace():
            assert source.isspace(), (i, char, source)
        else:
            assert source == char, (i, char, source)


# --------------------------------------------------------------------------- boilerplate

BOILERPLATE_LINES = [
    "Facebook Twitter LinkedIn Pinterest Email Print",
    "Share this article",
    "Email this article",
    "Print this story",
    "Share on WhatsApp | Telegram | Reddit | Tumblr",
    "Related: Another look at chip controls",
    "Associated: Sanctions widen to cloud vendors",
    "Read more: What the licence rule means",
    "See also: Our earlier coverage",
    "Also read: The full export list",
    "Related Articles",
    "Tags: drones, exports, licences",
    "Filed under aviation Tags:",
    "Earlier Columns by Jane Roe:",
    "Previous Columns by Sam Lee:",
    "More Columns by the same author:",
    "Advertisement",
    "ADVERTISEMENT - scroll to continue",
    "Subscribe to our morning briefing",
    "Copyright 2021 Harbour Media Ltd.",
    "© 2020 Lantern Publishing",
    "Lantern Publishing. All rights reserved.",
    "Click here to download the full filing",
    "By Jane Roe",
    "Published: 4 June 2021",
    "* * *",
]

GENUINE_LINES = [
    "Copyright law in the region protects software makers.",
    "Subscribers of the service were warned about the outage.",
    "By March the ban covered twelve apps.",
    "Advertising revenue at the platform fell sharply.",
    "Related work by the ministry was published later.",
    "Email records show the deal was discussed in 2019.",
]


@pytest.mark.parametrize("line", BOILERPLATE_LINES)
def test_ingest_boilerplate_line_dropped(line: str) -> None:
    doc = _doc(BODY, line, "A second paragraph closes the story.")
    assert line not in doc.text
    assert doc.text.split("\n\n") == [HEADLINE + ".", BODY, "A second paragraph closes the story."]


@pytest.mark.parametrize("line", GENUINE_LINES)
def test_ingest_genuine_line_kept(line: str) -> None:
    assert line in _doc(BODY, line).text.split("\n\n")


def test_ingest_boilerplate_before_title_is_skipped() -> None:
    doc = clean_text("Advertisement\n\n" + HEADLINE + "\n" + BODY, "x.txt")
    assert doc.title == HEADLINE


# --------------------------------------------------------------------------- headlines


def test_ingest_repeated_headline_dropped() -> None:
    doc = _doc(BODY, HEADLINE, "Officials expect more listings.", HEADLINE)
    assert doc.text.count(HEADLINE) == 1
    assert doc.text.endswith("Officials expect more listings.")


def test_ingest_repeated_paragraph_dropped() -> None:
    doc = _doc(BODY, "Officials expect more listings.", BODY)
    assert doc.text.count(BODY) == 1


@pytest.mark.parametrize(
    ("echo", "kept"),
    [
        (HEADLINE + "Tags:", False),
        (HEADLINE + " | Harbour Daily", False),
        (HEADLINE + " - Lantern News", False),
        (HEADLINE + " Related Tags:", False),
        (HEADLINE + ", the agency confirmed on Monday after a long review.", True),
        (HEADLINE + " as officials in three capitals weigh a response to the plan.", True),
    ],
)
def test_ingest_title_echo_with_junk_dropped(echo: str, kept: bool) -> None:
    doc = _doc(BODY, echo)
    assert (echo in doc.text) is kept


def test_ingest_title_kept_and_terminated() -> None:
    doc = _doc(BODY)
    assert doc.title == HEADLINE
    assert doc.text.startswith(HEADLINE + ".\n\n" + BODY)
    stop = len(HEADLINE)
    assert doc.offsets[stop] == doc.offsets[stop - 1]
    assert (stop, stop + 1) in doc.meta["synthetic_spans"]


@pytest.mark.parametrize(
    "title", ["Is the Licence Rule Legal?", "Exporters Push Back.", "Why it matters!"]
)
def test_ingest_terminated_title_left_alone(title: str) -> None:
    doc = _doc(BODY, title=title)
    assert doc.title == title
    assert doc.text.startswith(title + "\n\n")
    assert doc.meta["synthetic_spans"] == []


def test_ingest_title_is_its_own_spacy_sentence() -> None:
    from kg.build.nlp import load_model

    nlp = load_model()  # the real model: it is a pinned dependency
    doc = _doc(
        "Officials said exporters would need new licences.", title="Watchdog warns drone exporters"
    )
    first = next(iter(nlp(doc.text).sents)).text.strip()
    assert first == "Watchdog warns drone exporters."


# --------------------------------------------------------------------------- layout


def test_ingest_paragraphs_joined_with_blank_lines() -> None:
    doc = clean_text(f"{HEADLINE}\n\n\n{BODY}\nSecond paragraph here.\n\n", "x.txt")
    assert doc.text == f"{HEADLINE}.\n\n{BODY}\n\nSecond paragraph here."


def test_ingest_hard_wrapped_lines_joined() -> None:
    doc = _doc("The agency said that four exporters", "needed new licences.", "Next paragraph.")
    assert doc.text.split("\n\n")[1:] == [
        "The agency said that four exporters needed new licences.",
        "Next paragraph.",
    ]
    _assert_offsets_exact(doc)


def test_ingest_whitespace_normalized() -> None:
    raw = f"  {HEADLINE}  \r\n\tThe  agency\u00a0said\u200b it\t\twould act.   \r\n"
    doc = clean_text(raw, "x.txt")
    assert doc.text == f"{HEADLINE}.\n\nThe agency said it would act."
    _assert_offsets_exact(doc)


def test_ingest_empty_text_gives_empty_doc() -> None:
    assert clean_text(" \n\t\n", "x.txt").text == ""


def test_ingest_meta_records_hash_and_substitutions() -> None:
    raw = f"{HEADLINE}\nTwo international locations backed the synthetic intelligence plan.\n"
    doc = clean_text(raw, "x.txt")
    assert doc.meta["sha256"] == hashlib.sha256(raw.encode("utf-8")).hexdigest()
    assert doc.meta["substitutions"] == 2
    assert doc.doc_id == "x.txt" and doc.original == raw


# --------------------------------------------------------------------------- spun text

PHRASE_CASES = [
    ("Chinese language corporations face new limits.", "Chinese corporations face new limits."),
    ("Regulators questioned Japanese language firms.", "Regulators questioned Japanese firms."),
    ("The Chinese language authorities rejected it.", "The Chinese authorities rejected it."),
    ("The Chinese language embassy protested.", "The Chinese embassy protested."),
    (
        "Korean language telecommunications operators objected.",
        "Korean telecommunications operators objected.",
    ),
    ("CHINESE LANGUAGE COMPANIES UNDER PRESSURE", "CHINESE COMPANIES UNDER PRESSURE"),
    ("Twelve international locations signed the pledge.", "Twelve countries signed the pledge."),
    ("International locations in Europe hesitated.", "Countries in Europe hesitated."),
    ("The app is a nationwide safety concern.", "The app is a national security concern."),
    ("Nationwide Safety Review Ordered", "National Security Review Ordered"),
    ("A NATIONWIDE SAFETY ALERT", "A NATIONAL SECURITY ALERT"),
    ("The homeland safety office agreed.", "The homeland security office agreed."),
    ("Investment in synthetic intelligence grew.", "Investment in artificial intelligence grew."),
    ("Man-made intelligence chips were listed.", "Artificial intelligence chips were listed."),
    ("Know-how corporations lobbied the senate.", "Technology companies lobbied the senate."),
    ("A know-how corporation was fined.", "A technology company was fined."),
    ("The know-how sector slumped.", "The technology sector slumped."),
    ("Delegates of the Communist Occasion met.", "Delegates of the Communist Party met."),
    ("The Chinese language Communist Occasion replied.", "The Chinese Communist Party replied."),
    ("The International Minister flew to Jakarta.", "The Foreign Minister flew to Jakarta."),
    ("The Overseas Minister declined to comment.", "The Foreign Minister declined to comment."),
    ("The International Ministry summoned the envoy.", "The Foreign Ministry summoned the envoy."),
    (
        "The Ministry of International Affairs objected.",
        "The Ministry of Foreign Affairs objected.",
    ),
    ("The Overseas Secretary met the envoy.", "The Foreign Secretary met the envoy."),
    ("Lawmakers debated information safety rules.", "Lawmakers debated data security rules."),
    ("Cyber safety experts disagreed.", "Cybersecurity experts disagreed."),
    (
        "Officials cited safety threats from the vendor.",
        "Officials cited security threats from the vendor.",
    ),
    (
        "The report flagged safety dangers in routers.",
        "The report flagged security risks in routers.",
    ),
    ("He called the firm a safety menace.", "He called the firm a security threat."),
    ("It was called a nationwide safety menace.", "It was called a national security threat."),
    ("Privateness advocates objected.", "Privacy advocates objected."),
    ("Person information was sent abroad.", "User data was sent abroad."),
    ("Large information platforms were audited.", "Big data platforms were audited."),
    ("A new information heart opened.", "A new data center opened."),
    ("Machine studying research slowed.", "Machine learning research slowed."),
    ("Mental property theft was alleged.", "Intellectual property theft was alleged."),
    (
        "They were accused of stealing commerce secrets.",
        "They were accused of stealing trade secrets.",
    ),
    ("Huawei Applied sciences denied the claim.", "Huawei Technologies denied the claim."),
    ("The tech large Alibaba responded.", "The tech giant Alibaba responded."),
    ("Rollout of the 5G community stalled.", "Rollout of the 5G network stalled."),
    ("Operators rebuilt their 5G communities.", "Operators rebuilt their 5G networks."),
    ("Provide chains were disrupted.", "Supply chains were disrupted."),
    ("Reports of pressured labor surfaced.", "Reports of forced labor surfaced."),
    ("Commerce tensions rose in May.", "Trade tensions rose in May."),
    ("The commerce warfare dragged on.", "The trade war dragged on."),
    ("The Commerce Division added nine firms.", "The Commerce Department added nine firms."),
    ("The Division of Justice filed charges.", "The Department of Justice filed charges."),
    ("The Protection Secretary visited Manila.", "The Defense Secretary visited Manila."),
    ("He met the Secretary of Protection.", "He met the Secretary of Defense."),
    ("The Nationwide Safety Company listened in.", "The National Security Agency listened in."),
    ("The Federal Communications Fee voted.", "The Federal Communications Commission voted."),
    ("The European Fee opened an inquiry.", "The European Commission opened an inquiry."),
    (
        "It filed a case at the World Commerce Group.",
        "It filed a case at the World Trade Organization.",
    ),
    ("The UN Safety Council met.", "The UN Security Council met."),
    (
        "The Home of Representatives passed the bill.",
        "The House of Representatives passed the bill.",
    ),
    ("The White Home said nothing.", "The White House said nothing."),
    ("Its chief government officer resigned.", "Its chief executive officer resigned."),
    (
        "Envoys of the Individuals's Republic of China left.",
        "Envoys of the People's Republic of China left.",
    ),
    ("The Individuals's Liberation Military drilled.", "The People's Liberation Army drilled."),
    ("The Nationwide Individuals's Congress met.", "The National People's Congress met."),
    ("Ports joined the belt and street plan.", "Ports joined the Belt and Road plan."),
    ("The Digital Silk Street expanded.", "The Digital Silk Road expanded."),
    ("Five carriers joined the Clear Community.", "Five carriers joined the Clean Network."),
    (
        "Officials promoted the clear community abroad.",
        "Officials promoted the Clean Network abroad.",
    ),
    ("Two firms were added to the Entity Record.", "Two firms were added to the Entity List."),
    ("China's prime diplomat arrived.", "China's top diplomat arrived."),
    ("The Wall Avenue Journal reported it.", "The Wall Street Journal reported it."),
    ("The Monetary Occasions reported it.", "The Financial Times reported it."),
    ("The New York Instances reported it.", "The New York Times reported it."),
    ("He told the Related Press.", "He told the Associated Press."),
    ("Canada expressed considerations over the deal.", "Canada expressed concerns over the deal."),
    ("Comments (12) LONDON - Talks resumed.", "LONDON - Talks resumed."),
    ("BEIJING/OTTAWA, Dec. 13 (Wire) - China acted.", "China acted."),
    ("Top Minister Anna Berg spoke.", "Prime Minister Anna Berg spoke."),
    ("Its govt vice president resigned.", "Its executive vice president resigned."),
    ("The Danish Put up and Telecom Agency ruled.", "The Danish Post and Telecom Agency ruled."),
    ("The Safety Service warned.", "The Security Service warned."),
    ("The Military Forces objected.", "The Armed Forces objected."),
    ("The firm lodged an enchantment on Friday.", "The firm lodged an appeal on Friday."),
    ("The ban lacked an authorized foundation.", "The ban lacked a legal basis."),
    ("It had no authorized basis.", "It had no legal basis."),
    ("Correct its fallacious determination now.", "Correct its wrong decision now."),
    ("It upheld its determination to bar the firm.", "It upheld its decision to bar the firm."),
    ("It warned of a destructive impression.", "It warned of a negative impact."),
    ("Operators must section out old gear.", "Operators must phase out old gear."),
    ("Cell operators complained.", "Mobile operators complained."),
    ("The spectrum public sale was delayed.", "The spectrum auction was delayed."),
    ("The firm declined to remark.", "The firm declined to comment."),
    ("It was extensively learn as a threat.", "It was widely read as a threat."),
    ("A Chinese language Foreign Ministry spokesman spoke.",
     "A Chinese Foreign Ministry spokesman spoke."),
    ("Ministers voiced issues about the merger.", "Ministers voiced concerns about the merger."),
]

UNCHANGED_CASES = [
    "She enrolled in Chinese language courses last year.",
    "The Chinese language has many dialects.",
    "The Chinese language media covered the visit.",
    "Engineers lacked the technical know-how to build it.",
    "The minister mentioned the ban twice.",
    "The Prime Minister spoke first.",
    "Battery safety risks were reviewed.",
    "The National Safety Council published figures.",
    "The chip large enough for the server was costly.",
    "A chief government spokesman replied.",
    "The Defence Secretary of Britain spoke.",
    "The university teaches applied sciences.",
    "A clear community consensus emerged.",
]


@pytest.mark.parametrize(("spun", "fixed"), PHRASE_CASES)
def test_ingest_phrase_substitution(spun: str, fixed: str) -> None:
    doc = _doc(spun)
    assert doc.text.split("\n\n")[1] == fixed
    assert doc.meta["substitutions"] >= 1
    _assert_offsets_exact(doc)


@pytest.mark.parametrize("sentence", UNCHANGED_CASES)
def test_ingest_genuine_phrase_unchanged(sentence: str) -> None:
    doc = _doc(sentence)
    assert doc.text.split("\n\n")[1] == sentence
    assert doc.meta["substitutions"] == 0


def test_ingest_every_phrase_entry_is_exercised() -> None:
    """Each entry matches some case once the entries before it have run."""
    phrases = load_spinning().phrases
    unused = []
    for index, (pattern, _) in enumerate(phrases):
        earlier = Spinning(phrases=phrases[:index])
        if not any(
            pattern.search(clean_text(spun, "x.txt", earlier).text) for spun, _ in PHRASE_CASES
        ):
            unused.append(pattern.pattern)
    assert unused == []


def test_ingest_case_tables_have_expected_sizes() -> None:
    assert len(BOILERPLATE_LINES) == 26
    assert len(GENUINE_LINES) == 6
    assert len(PHRASE_CASES) == 91
    assert len(UNCHANGED_CASES) == 13


def test_ingest_substituted_span_maps_into_replaced_words() -> None:
    raw = f"{HEADLINE}\nSeveral international locations objected.\n"
    doc = clean_text(raw, "x.txt")
    start = doc.text.index("countries")
    o_start, o_end = doc.original_span(start, start + len("countries"))
    assert raw[o_start:o_end] in "international locations"
    assert raw.index("international") <= o_start < o_end <= raw.index(" objected")


def test_ingest_offsets_map_back_exactly() -> None:
    raw = (
        "  Chinese Language Firms Face Nationwide Safety Review \r\n\r\n"
        "Facebook  Twitter Email\r\n"
        "The International Minister mentioned  that Chinese language corporations\r\n"
        "pose safety threats to international locations.\r\n"
        "Related: Other news\r\n"
        "\tThe Communist Occasion rejected the Clear Community, the White Home said.\r\n"
    )
    doc = clean_text(raw, "x.txt")
    _assert_offsets_exact(doc)
    for word in ("mentioned", "rejected", "Minister", "said."):
        start = doc.text.index(word)
        o_start, o_end = doc.original_span(start, start + len(word))
        assert raw[o_start:o_end] == word


# --------------------------------------------------------------------------- spinning.yaml


def test_ingest_default_spinning_loads_and_is_cached() -> None:
    spinning = load_spinning()
    assert isinstance(spinning, Spinning)
    assert spinning is load_spinning()
    assert "community" in spinning.synonyms["network"]
    assert "clear" in spinning.synonyms["clean"]
    assert "know-how" in spinning.synonyms["technology"]
    assert all(key == key.lower() for key in spinning.synonyms)


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("phrases:\n  - {pattern: '(unclosed', replace: x, note: n}\n", "phrases[0]"),
        ("phrases:\n  - {pattern: 'a b', replace: x}\n", "phrases[0]"),
        ("phrases:\n  - {pattern: 'a b', replace: x, note: n, colour: red}\n", "phrases[0]"),
        ("phrases:\n  - {pattern: 'a (b)', replace: '\\2', note: n}\n", "phrases[0]"),
        (
            "phrases:\n  - {pattern: 'a b', replace: x, note: n}\n"
            "  - {pattern: 'x?', replace: y, note: n}\n",
            "phrases[1]",
        ),
        (
            "phrases:\n  - {pattern: 'a b', replace: x, note: n, case_sensitive: maybe}\n",
            "phrases[0]",
        ),
        ("boilerplate:\n  - 'ok'\n  - '[bad'\n", "boilerplate[1]"),
        ("boilerplate:\n  - 42\n", "boilerplate[0]"),
        ("synonyms:\n  network: community\n", "synonyms['network']"),
        ("synonyms:\n  network: ['']\n", "synonyms['network']"),
        ("- just a list\n", "top level"),
        ("phrases: {pattern: x}\n", "'phrases'"),
        ("widgets: []\n", "top level"),
        ("phrases: [unclosed\n", "cannot parse"),
    ],
)
def test_ingest_bad_spinning_file_names_file_and_entry(
    tmp_path: Path, content: str, where: str
) -> None:
    path = tmp_path / "spin_bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(IngestError) as info:
        load_spinning(path)
    assert "spin_bad.yaml" in str(info.value)
    assert where in str(info.value)


def test_ingest_missing_spinning_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="nowhere.yaml"):
        load_spinning(tmp_path / "nowhere.yaml")


def test_ingest_custom_spinning_applies(tmp_path: Path) -> None:
    path = tmp_path / "spin.yaml"
    path.write_text(
        "phrases:\n  - {pattern: 'silicon wafer(s?)', replace: 'chip\\1', note: test}\n"
        "boilerplate:\n  - 'drop me'\n",
        encoding="utf-8",
    )
    doc = clean_text(
        f"{HEADLINE}\nSilicon wafers were seized.\nDrop me\n", "x.txt", load_spinning(path)
    )
    assert doc.text == f"{HEADLINE}.\n\nChips were seized."


# --------------------------------------------------------------------------- markdown


def test_ingest_markdown_syntax_stripped(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(
        "# Drone **Export** Rules Tighten\n\n"
        "Read [the filing](https://example.org/f.pdf) on *new* licences and `ECCN` codes.\n\n"
        "![chart](img/chart.png)\n\n"
        "```\nprint('not prose')\n```\n\n"
        "> - Quoted item with __strong__ words\n"
        "2. Numbered item about ~~old~~ rules\n\n"
        "---\n",
        encoding="utf-8",
    )
    doc = read_document(path)
    assert doc.text == (
        "Drone Export Rules Tighten.\n\n"
        "Read the filing on new licences and ECCN codes.\n\n"
        "Quoted item with strong words\n\n"
        "Numbered item about old rules"
    )
    assert doc.title == "Drone Export Rules Tighten"
    _assert_offsets_exact(doc)


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("---\ntitle: Draft\n---\nExporters wait.\n", "\nExporters wait.\n"),
        ("Before.\n```\nno closing fence\n", "Before.\n"),
        ("Rules\n=====\nBody.\n", "Rules\n\nBody.\n"),
        ("Escaped \\*stars\\* stay.", "Escaped *stars* stay."),
        ("Visit <https://example.org> or <b>this</b>.", "Visit  or this."),
    ],
)
def test_ingest_strip_markdown_cases(markdown: str, plain: str) -> None:
    text, offsets = strip_markdown(markdown)
    assert text == plain
    assert "".join(markdown[o] for o in offsets) == text


def test_ingest_strip_markdown_keeps_offsets() -> None:
    text, offsets = strip_markdown("See [**the** list](u) now")
    assert text == "See the list now"
    assert "".join("See [**the** list](u) now"[o] for o in offsets) == text


def test_ingest_txt_file_keeps_markdown_characters(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(f"{HEADLINE}\nThe *starred* word stays.\n", encoding="utf-8")
    assert "*starred*" in read_document(path).text


# --------------------------------------------------------------------------- files


def test_ingest_read_document_utf8(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(f"{HEADLINE}\nThe “agency” said it’s final.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.doc_id == "story.txt" and doc.path == str(path)
    assert doc.text.endswith("The “agency” said it’s final.")
    assert doc.meta["warnings"] == []
    _assert_offsets_exact(doc)


def test_ingest_utf8_bom_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + f"{HEADLINE}\n{BODY}\n".encode())
    doc = read_document(path)
    assert doc.title == HEADLINE and not doc.original.startswith("\ufeff")
    assert doc.meta["warnings"] == []


def test_ingest_cp1252_file_decoded_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(f"{HEADLINE}\nThe agency’s ruling – final.\n".encode("cp1252"))
    doc = read_document(path)
    assert doc.text.endswith("The agency’s ruling – final.")
    assert len(doc.meta["warnings"]) == 1
    assert "legacy.txt" in doc.meta["warnings"][0] and "cp1252" in doc.meta["warnings"][0]


def test_ingest_latin1_fallback_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_bytes(HEADLINE.encode() + b"\nByte \x81 here.\n")
    doc = read_document(path)
    assert "latin-1" in doc.meta["warnings"][0]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n  ", "empty"),
        ("only_ads.txt", b"Advertisement\nFacebook Twitter Email\n", "empty"),
        ("only_markup.md", b"```\ncode only\n```\n---\n", "empty"),
        ("blob.txt", b"PK\x03\x04\x00\x00binary", "binary"),
        ("report.pdf", b"%PDF-1.4 text", "unsupported extension"),
    ],
)
def test_ingest_bad_file_rejected_with_name(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as info:
        read_document(path)
    assert name in str(info.value) and reason in str(info.value)


def test_ingest_directory_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(IngestError, match=r"folder\.txt: is a directory"):
        read_document(folder)


def test_ingest_missing_file_rejected(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"ghost\.txt: not a file"):
        read_document(tmp_path / "ghost.txt")


def test_ingest_collect_sources_expands_and_warns(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / ".hidden").mkdir()
    for rel in ("b.txt", "a.md", "sub/c.TXT", "notes.pdf", ".secret.txt", ".hidden/d.txt"):
        (corpus / rel).write_text("x", encoding="utf-8")
    extra = tmp_path / "extra.docx"
    extra.write_text("x", encoding="utf-8")
    files, warnings = collect_sources([corpus, extra, tmp_path / "missing", corpus / "b.txt"])
    assert [p.relative_to(corpus).as_posix() for p in files] == ["a.md", "b.txt", "sub/c.TXT"]
    assert len(warnings) == 2
    assert "extra.docx" in warnings[0] and "unsupported" in warnings[0]
    assert "missing" in warnings[1]


def test_ingest_collect_sources_accepts_strings(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("x", encoding="utf-8")
    assert collect_sources([str(path)]) == ([path], [])


def test_ingest_keeps_the_names_of_cleaning_importable():
    from kg.build import cleaning, ingest

    for name in ("IngestError", "Spinning", "clean_text", "load_spinning", "strip_markdown"):
        assert getattr(ingest, name) is getattr(cleaning, name), name
    assert issubclass(IngestError, KgError)
