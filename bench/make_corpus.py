"""A synthetic corpus of news stories about technology disputes, for the build benchmark.

Each story is a few paragraphs of wire-style prose: a headline, acts between states and
companies (bans, sanctions, export curbs, 5G exclusions, accusations and denials, joining an
initiative, acquisitions), who owns and employs whom, and background sentences that carry no
fact, so that the parser reads about as much filler as a real story holds. Actors come from
the gazetteer (so resolution merges them across stories) and from invented company names
(so the graph keeps growing with the corpus). The sentence frames are written for this
benchmark; a seed gives the same corpus every time.

Usage::

    .venv/bin/python bench/make_corpus.py --docs 1000 --out /tmp/corpus-1000 [--seed 7]
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

from kg.gazetteer import load_gazetteer

ACTS = (
    "{state} banned {product} on government devices, citing the risk of espionage.",
    "Officials in {state} said on {day} that {company} would be barred from supplying "
    "equipment for the national 5G network.",
    "{state} imposed sanctions on {company} over its links to the military of {rival}.",
    "The {state_adj} government restricted exports of {tech} to {rival}.",
    "{company} denied the claim that it shares user data with the government of {rival}.",
    "{state} accused {company} of stealing trade secrets from {company2}.",
    "{state} joined the {initiative} on {day}, the foreign ministry announced.",
    "Regulators in {state} opened an investigation into {company2} over data transfers.",
    "{company} sued the government of {state} in a federal court, calling the ban unlawful.",
    "{company2} agreed to acquire {newco} for an undisclosed sum.",
    "{state} pressured {ally} to remove {company} gear from its networks.",
    "{ally} said it would work with {state} on secure supply chains for {tech}.",
    "{rival} condemned the decision and warned of countermeasures against {state} firms.",
    "{company} rejected the accusations as politically motivated.",
    "The ministry of {ally} excluded {company} from the tender for its core network.",
    "{state} blocked {product}, which it said collected data on millions of users.",
    "{state} added {newco} to its export blacklist on {day}.",
)
STRUCTURE = (
    "{newco}, a maker of {tech_lower} based in {rival}, owns a stake in {newco2}.",
    "{person}, the chief executive of {newco}, said the company follows local laws.",
    "{newco} is headquartered in {city_country}.",
    "{company2} supplies chips to {newco}.",
)
FILLER = (
    "Analysts said the move was likely to ripple through global supply chains.",
    "Shares of several suppliers fell in early trading after the announcement.",
    "The measure takes effect after a ninety-day review period.",
    "Industry groups asked for more time to comply with the new rules.",
    "Trade between the two countries has grown steadily over the past decade.",
    "Lawmakers from both parties have called for a tougher stance for months.",
    "Details of the review were not made public.",
    "The company employs about {n} people worldwide and reported higher revenue last year.",
    "A spokesperson declined to comment further on the matter.",
    "The dispute comes ahead of talks between senior trade officials next month.",
    "Critics said the policy would raise costs for consumers and small operators.",
    "Telecom operators have until the end of the year to replace affected equipment.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
STEMS = ("Nor", "Vel", "Tar", "Quin", "Sol", "Bram", "Cor", "Dex", "Lum", "Ost", "Pra", "Zen")
TAILS = ("vex", "tronic", "link", "wave", "core", "nova", "tek", "gate", "sys", "mint")
KINDS = ("Systems", "Technologies", "Networks", "Semiconductor", "Electronics", "Telecom")
GIVEN = ("Lena", "Omar", "Yuki", "Marta", "Ivan", "Priya", "Tomas", "Wei", "Nadia", "Carlos")
FAMILY = ("Halvorsen", "Okafor", "Tanaka", "Ruiz", "Novak", "Chen", "Mehta", "Lindqvist")


@dataclass(frozen=True)
class Cast:
    """The names a story can draw on, by kind."""

    states: list[str]
    companies: list[str]
    products: list[str]
    initiatives: list[str]
    techs: list[str]


def load_cast() -> Cast:
    """Names from the gazetteer, by class (sorted, so a seed gives one corpus)."""
    entries = sorted(load_gazetteer().entries.values(), key=lambda e: e.iri)
    by = {kind: [e.label for e in entries if e.type == kind]
          for kind in ("Country", "Company", "Product", "Initiative", "Technology")}
    return Cast(by["Country"][:60], by["Company"], by["Product"], by["Initiative"],
                by["Technology"])


def invented_company(rng: random.Random) -> str:
    return f"{rng.choice(STEMS)}{rng.choice(TAILS)} {rng.choice(KINDS)}"


def story(number: int, cast: Cast, rng: random.Random) -> str:
    """The text of one story: a headline and four to six paragraphs."""
    state, rival, ally = rng.sample(cast.states, 3)
    values = {
        "state": state, "rival": rival, "ally": ally, "state_adj": state,
        "company": rng.choice(cast.companies), "company2": rng.choice(cast.companies),
        "product": rng.choice(cast.products), "initiative": rng.choice(cast.initiatives),
        "tech": rng.choice(cast.techs), "day": rng.choice(DAYS),
        "newco": invented_company(rng), "newco2": invented_company(rng),
        "person": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", "city_country": rival,
        "n": f"{rng.randint(2, 90)},000",
    }
    values["tech_lower"] = values["tech"].lower()
    headline = f"{state} moves against {values['company']} as tensions with {rival} grow"
    count = rng.randint(4, 6)
    acts, facts = rng.sample(ACTS, 2 * count), rng.sample(STRUCTURE * 2, count)
    paragraphs = []
    for n in range(count):
        frames = [*acts[2 * n:2 * n + 2], facts[n], *rng.sample(FILLER, 4)]
        rng.shuffle(frames)
        paragraphs.append(" ".join(frame.format(**values) for frame in frames))
    return f"{headline}\n\n" + "\n\n".join(paragraphs) + "\n"


def write_corpus(count: int, out: Path, seed: int = 7, start: int = 0) -> list[Path]:
    """Writes stories ``start`` .. ``start + count - 1`` into ``out`` and returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    cast, paths = load_cast(), []
    for number in range(start, start + count):
        rng = random.Random(f"{seed}-{number}")
        path = out / f"story-{number:05d}.txt"
        path.write_text(story(number, cast, rng), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100, help="number of stories")
    parser.add_argument("--out", type=Path, required=True, help="folder to write them to")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = write_corpus(args.docs, args.out, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} stories ({size / 1e6:.2f} MB) to {args.out}")


if __name__ == "__main__":
    main()
