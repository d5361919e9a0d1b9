"""Score the quote extractor on the gold sets and time it on the real corpus.

    .venv/bin/python benchmarks/quotes.py             # polnear-dev, pressreleases-dev, corpus
    .venv/bin/python benchmarks/quotes.py --train     # also polnear-train (the tuning set)
    .venv/bin/python benchmarks/quotes.py --errors 20 --only pressreleases-dev

Matching (issue 2): a predicted quote matches a gold quote of the same document when their
word-token F1 >= 0.5 (one-to-one, best pairs first). Speaker accuracy counts the gold quotes whose
source contains a capitalised name word (not a pronoun or determiner) and is correct when the
predicted speaker of the matching quote shares one of those words; an unmatched gold quote counts
as wrong. On pressreleases-dev, whose speakers are resolved to full names, the exact speaker,
role and named flag are also scored over the matched quotes.

Kinds (issue 9): the gold sets annotate quotes between marks ("quote") and labelled turns of
transcripts ("turn", a question's label included). A predicted "question" is a labelled turn and
is scored as one; a predicted "remarks" record (an unlabelled paragraph of a bylined speech) has
no gold counterpart in these sets, so remarks are left out of P/R/F1 and counted on their own
line, which keeps the figures meaning what they meant before remarks existed. The "kremlin" line
scores the four Kremlin transcripts of pressreleases-dev alone; the "seed" line checks the
shipped article's 14 gold quotes (text and offsets exactly).

Timing: the whole of ../shared/corpus/ read with the standard library (csv, json) into
Documents, then extracted (tagging included) on one core; records are counted by kind.

Speakers on the corpus (issue 10), after the corpus-wide merge the index applies:
- "not a person": the share of quotes credited (named) to something that is neither a person
  nor an organisation, checked independently of the extractor's own rules: a name people.toml
  knows; an organisation (an acronym, or a name ending in "Ministry", "Council", ...); or two to
  five capitalised words, none a place or people (the tagger), a pronoun, title or document
  word, or a word the corpus's quotes use in lower case. A lone unknown word fails. Quotes
  marked unattributed are fine: they say so.
- "under two names": pairs of speaker names left apart that look like one person: the same
  first letter and surnames at least 80% alike by edit distance, or a surname alone that is
  the last word of a full name.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nato_browse.index.extract.lexicon import words
from nato_browse.index.extract.people import People
from nato_browse.index.extract.pipeline import extract_quotes
from nato_browse.index.grouping.speakers import merge_speakers
from nato_browse.index.model import Document, Quote
from nato_browse.index.tagging.tagger import Tagger
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WORD_RE = re.compile(r"\w+")
# Capitalised words of a gold source that do not name anyone.
NOT_NAME = words(
    """
    he she it they i we you his her their its our my who whom which that this these those the
    a an one some another several many both all each
    """
)


def token_f1(a: str, b: str) -> float:
    ta = Counter(WORD_RE.findall(a.lower()))
    tb = Counter(WORD_RE.findall(b.lower()))
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    p = common / sum(ta.values())
    r = common / sum(tb.values())
    return 2 * p * r / (p + r)


def name_words(source: str | None) -> set[str]:
    if not source:
        return set()
    return {
        w.lower() for w in WORD_RE.findall(source) if w[:1].isupper() and w.lower() not in NOT_NAME
    }


def match(gold: list[dict[str, Any]], pred: list[Quote]) -> dict[int, int]:
    """gold index -> predicted index, one-to-one, best token F1 first."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            f = token_f1(g["text"], p.text)
            if f >= 0.5:
                pairs.append((f, gi, pi))
    pairs.sort(key=lambda x: -x[0])
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: dict[int, int] = {}
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out[gi] = pi
    return out


@dataclass
class Score:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    spk_total: int = 0
    spk_ok: int = 0
    exact_total: int = 0
    exact_ok: int = 0
    role_total: int = 0
    role_ok: int = 0
    named_total: int = 0
    named_ok: int = 0
    remarks: int = 0  # predicted remarks records, not scored
    errors: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        p = self.matched / self.pred if self.pred else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        spk = self.spk_ok / self.spk_total if self.spk_total else 0.0
        out = (
            f"{name}: gold {self.gold}  predicted {self.pred}  matched {self.matched}  "
            f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  speaker {spk:.3f} ({self.spk_ok}/{self.spk_total})"
            f"  remarks (not scored) {self.remarks}"
        )
        if self.exact_total:
            out += (
                f"\n  resolved speaker {self.exact_ok / self.exact_total:.3f} "
                f"({self.exact_ok}/{self.exact_total})  "
                f"role {self.role_ok / max(self.role_total, 1):.3f} "
                f"({self.role_ok}/{self.role_total})  "
                f"named {self.named_ok / max(self.named_total, 1):.3f} "
                f"({self.named_ok}/{self.named_total})"
            )
        return out


def _norm(s: str | None) -> str:
    return " ".join(WORD_RE.findall((s or "").lower()))


# The kinds the gold sets annotate (see the docstring); remarks are counted apart.
SCORED_KINDS = frozenset({"quote", "turn", "question"})


def score_file(
    path: Path, tagger: Tagger, resolved: bool, keep_errors: bool, only: str = ""
) -> Score:
    """Scores of the documents of a gold file (those whose id starts with `only`, if given)."""
    score = Score()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            d = json.loads(line)
            if only and not d["doc"].startswith(only):
                continue
            text = d["text"]
            title = text.split("\n", 1)[0]
            doc = Document(title=title, body=text, doc_id=d["doc"])
            found = extract_quotes(doc, tagger)
            pred = [q for q in found if q.kind in SCORED_KINDS]
            score.remarks += len(found) - len(pred)
            gold = d["quotes"]
            pairs = match(gold, pred)
            score.gold += len(gold)
            score.pred += len(pred)
            score.matched += len(pairs)
            for gi, g in enumerate(gold):
                p = pred[pairs[gi]] if gi in pairs else None
                words = name_words(g.get("speaker"))
                ok = None
                if words:
                    score.spk_total += 1
                    ok = p is not None and bool(words & name_words(p.speaker))
                    score.spk_ok += bool(ok)
                if resolved and p is not None:
                    score.exact_total += 1
                    exact = _norm(p.speaker) == _norm(g.get("speaker"))
                    score.exact_ok += exact
                    if g.get("role"):
                        score.role_total += 1
                        score.role_ok += _norm(p.role) == _norm(g["role"])
                    if "named" in g:
                        score.named_total += 1
                        score.named_ok += p.named == g["named"]
                    if keep_errors and not (exact and _norm(p.role) == _norm(g.get("role"))):
                        score.errors.append(
                            f"SPEAKER {d['doc']}@{g['start']}: gold {g.get('speaker')!r} "
                            f"[{g.get('role')}] got {p.speaker!r} [{p.role}] "
                            f"«{g['text'][:60]}»"
                        )
                if keep_errors and p is None:
                    score.errors.append(
                        f"MISSED {d['doc']}@{g['start']} ({g.get('speaker')}): "
                        f"«{g['text'][:100]}» ctx «{text[max(0, g['start'] - 80) : g['start']]}»"
                    )
                elif keep_errors and ok is False:
                    score.errors.append(
                        f"SPEAKER {d['doc']}@{g['start']}: gold {g.get('speaker')!r} "
                        f"got {p.speaker if p else None!r} «{g['text'][:60]}»"
                    )
            if keep_errors:
                hit = set(pairs.values())
                for pi, p in enumerate(pred):
                    if pi not in hit:
                        ctx = text[max(0, p.start - 60) : p.end + 60].replace("\n", " | ")
                        score.errors.append(
                            f"EXTRA {d['doc']}@{p.start} ({p.speaker}): «{p.text[:80]}» ctx «{ctx}»"
                        )
    return score


def corpus_documents(folder: Path) -> list[Document]:
    csv.field_size_limit(sys.maxsize)
    docs: list[Document] = []
    for name in ("zelenskyy.csv", "putin.csv"):
        path = folder / name
        if not path.exists():
            continue
        with open(path, encoding="utf-8", newline="") as handle:
            for i, row in enumerate(csv.DictReader(handle)):
                docs.append(
                    Document(
                        title=row.get("headline", ""),
                        body=row.get("body", ""),
                        date=(row.get("date") or "")[:10],
                        url=row.get("link", ""),
                        source=f"{name}#{i}",
                    )
                )
    path = folder / "isaf-press-releases.jsonl"
    if path.exists():
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                rec = json.loads(line)
                text = rec.get("text", "")
                title = text.strip().split("\n", 1)[0]
                docs.append(Document(title=title, body=text, source=f"isaf#{rec.get('id')}"))
    return docs


def time_corpus(folder: Path, tagger: Tagger, top: int = 20) -> None:
    docs = corpus_documents(folder)
    if not docs:
        print(f"corpus: nothing found in {folder}")
        return
    people = People.default()
    start, cpu = time.perf_counter(), time.process_time()
    found: list[Quote] = []
    for doc in docs:
        found.extend(extract_quotes(doc, tagger, people))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    kinds = Counter(q.kind for q in found)
    per_kind = "  ".join(f"{k} {kinds[k]}" for k in ("quote", "turn", "remarks", "question"))
    # CPU time too: on a shared machine the wall clock counts other people's work.
    print(
        f"corpus: {len(docs)} docs  {len(found)} quotes ({per_kind})  {seconds:.2f} s "
        f"({cpu:.2f} s CPU)  {len(docs) / seconds:.0f} docs/s"
    )
    speaker_figures(found, tagger, people, top)


# Words that never make a person's name on their own (independent of the extractor's lists).
NON_PERSON = words(
    """
    he she it they i we you the a an this that my our their his her its message statement
    letter question remark answer document documents text president minister adviser advisor
    secretary general head chairman spokesman spokeswoman official officials ambassador
    commander director deputy leader chief office ministry council committee government
    """
)
ORG_HEADS = words(
    """
    ministry office council committee commission agency department service government
    administration parliament assembly senate congress court bank fund institute university
    party command headquarters corporation company group foundation union alliance federation
    association organisation organization network times post news journal press agency kremlin
    pentagon forces army navy staff board
    """
)


def speaker_figures(found: list[Quote], tagger: Tagger, people: People, top: int) -> None:
    """The corpus figures of issue 10 (see the module's docstring)."""
    named = Counter(q.speaker for q in found if q.named)
    table = merge_speakers(named, people)
    canonical = Counter()
    for name, n in named.items():
        canonical[table.canonical[name]] += n
    lower_vocab = {w for q in found for w in WORD_RE.findall(q.text) if w.islower()}

    def person_or_org(name: str) -> bool:
        if people.lookup(name) is not None:
            return True
        parts = name.split()
        last = parts[-1].lower().strip(".,")
        acronym = len(parts) == 1 and parts[0].isupper() and 2 <= len(parts[0]) <= 6
        if acronym or (len(parts) > 1 and last in ORG_HEADS):
            return True
        if not 2 <= len(parts) <= 5:
            return False
        for w in parts:
            core = w.rstrip(".").replace("-", "").replace("'", "").replace("’", "")
            if not (core[:1].isupper() and core.isalpha()):
                return False
            if w.lower() in NON_PERSON or w.lower() in lower_vocab:
                return False
            tags = tagger.tag(w)
            if tags.countries or tags.regions:
                return False
        return True

    bad = Counter({n: c for n, c in canonical.items() if not person_or_org(n)})
    total = len(found)
    unattributed = sum(1 for q in found if not q.named)
    print(
        f"  speakers: {len(canonical)} names  unattributed {unattributed} "
        f"({unattributed / total:.1%})  not a person or organisation {sum(bad.values())} "
        f"({sum(bad.values()) / total:.2%})"
    )
    if bad:
        shown = ", ".join(f"{n!r} {c}" for n, c in bad.most_common(12))
        print(f"    not a person: {shown}")
    names = sorted(canonical)
    pairs = []
    by_initial: dict[str, list[str]] = {}
    for name in names:
        by_initial.setdefault(name[:1], []).append(name)
    surnames = {n.split()[-1] for n in names if len(n.split()) > 1}
    for group in by_initial.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                wa, wb = a.split(), b.split()
                known = people.lookup(a), people.lookup(b)
                if known[0] is not None and known[1] is not None:
                    continue  # two people of people.toml: different by definition
                if len(wa) > 1 and len(wb) > 1:
                    ratio = Levenshtein.normalized_similarity(wa[-1].lower(), wb[-1].lower())
                    if ratio >= 0.8 and wa[0][:1] == wb[0][:1]:
                        pairs.append((a, b))
    pairs += [(n, n) for n in names if len(n.split()) == 1 and n in surnames]
    print(f"  people under two names: {len(pairs)}" + (f"  {pairs[:10]}" if pairs else ""))
    print(f"  top {top} speakers: " + ", ".join(f"{n} {c}" for n, c in canonical.most_common(top)))


def score_seed(tagger: Tagger) -> None:
    """The shipped article's 14 gold quotes: how many are found with their exact offsets."""
    text_path = SHARED / "seed" / "nato-2023-11-27-foreign-ministers.txt"
    gold_path = text_path.with_name(text_path.stem + ".gold.json")
    if not text_path.exists() or not gold_path.exists():
        print(f"seed: {text_path} not found")
        return
    text = text_path.read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    shift = len(title) + 1  # gold offsets count from the file's start; the body follows the title
    found = extract_quotes(Document(title=title, body=body), tagger)
    got = {(q.text, q.start + shift, q.end + shift, q.speaker) for q in found}
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["quotes"]
    exact = sum((g["text"], g["start"], g["end"], "Jens Stoltenberg") in got for g in gold)
    print(f"seed: {exact}/{len(gold)} gold quotes exactly, by Jens Stoltenberg; {len(found)} found")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", action="store_true", help="also score polnear-train")
    parser.add_argument("--only", help="score only this set (e.g. polnear-train)")
    parser.add_argument("--errors", type=int, default=0, help="print up to N errors per set")
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus timing")
    args = parser.parse_args(argv)
    tagger = Tagger.default()
    sets = ["polnear-dev", "pressreleases-dev"]
    if args.train:
        sets.append("polnear-train")
    if args.only:
        sets = [args.only]
    if not args.only:
        score_seed(tagger)
    for name in sets:
        path = SHARED / "eval" / f"{name}.jsonl"
        if not path.exists():
            print(f"{name}: {path} not found")
            continue
        score = score_file(path, tagger, name.startswith("pressreleases"), args.errors > 0)
        print(score.line(name))
        for err in score.errors[: args.errors]:
            print("   ", err)
        if name == "pressreleases-dev":
            kremlin = score_file(path, tagger, True, False, only="kremlin-")
            print(kremlin.line("  kremlin (its 4 transcripts)"))
    if not args.no_corpus and not args.only:
        time_corpus(SHARED / "corpus", tagger)
    return 0


if __name__ == "__main__":
    sys.exit(main())
