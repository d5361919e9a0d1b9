"""Train the speaker guess (index/extract/guess.py) on polnear-train; write its weights.

    .venv/bin/python benchmarks/train_guess.py            # cross-validate, then write the file
    .venv/bin/python benchmarks/train_guess.py --dry-run  # cross-validate only

Every quotation of polnear-train that its own sentence does not attribute reaches the guess;
the extractor is run with a guesser that records each (quotation, candidate person) pair with
its features. A pair is labelled right when the candidate shares a capitalised name word with
the gold source (the benchmark's rule); a quotation whose gold source is a pronoun says nothing
about who is right and is left out, and one whose gold source is a description ("a
spokesman", "officials") or something other than a person has no right candidate at all.

A logistic regression (numpy, L2-penalised, fitted by Newton's method on standardised
features) scores the pairs; a quotation goes to its best-scored candidate. The probability a
guess needs to stand is chosen by 5-fold cross-validation over documents: the one that
maximises right guesses minus wrong ones, so that a guess stands only when it is more likely
right than wrong. The figures printed are the cross-validated ones. The weights are written
in the raw features' scale to data/speaker_guess.toml (the training text is not).

The recording runs the extractor in a second pass with the first pass's model, so that what
the later quotations of a document see (who said the previous one) is what the shipped model
makes them see.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from nato_browse.index.extract.guess import (
    FEATURES,
    GUESS_FILE,
    GuessModel,
    QuoteSite,
    Sighting,
    features,
)
from nato_browse.index.extract.lexicon import words
from nato_browse.index.extract.pipeline import extract_quotes
from nato_browse.index.model import Document
from nato_browse.index.tagging.tagger import Tagger
from quotes import SCORED_KINDS, match, name_words  # benchmarks/quotes.py: the scoring rules

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "eval" / "polnear-train.jsonl"
OUT = ROOT / "data" / GUESS_FILE
FOLDS = 5
PENALTY = 1.0  # L2 on the standardised weights
# Gold sources that are pronouns: whom they mean is unknown, so they teach nothing.
PRONOUNS = words("he she they it i we you him her them his their its who which")


@dataclass
class Example:
    doc: str
    pos: int
    source: str  # the gold source
    names: list[str]
    x: np.ndarray  # candidates x features
    right: np.ndarray  # bool per candidate


@dataclass
class Recorder:
    """A guesser that remembers what it was asked, and answers as `inner` does."""

    inner: GuessModel | None = None
    asked: list[tuple[int, list[tuple[str, list[float]]]]] = field(default_factory=list)

    def choose(
        self, site: QuoteSite, sightings: Iterable[Sighting]
    ) -> tuple[Hashable | None, float]:
        seen = list(sightings)
        pairs = features(site, seen)
        self.asked.append((site.pos, [(getattr(p, "name", ""), x) for p, x in pairs]))
        if self.inner is None:
            return None, 0.0
        return self.inner.choose(site, seen)


def collect(path: Path, model: GuessModel | None) -> list[Example]:
    tagger = Tagger.default()
    out: list[Example] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            d = json.loads(line)
            text = d["text"]
            rec = Recorder(model)
            doc = Document(title=text.split("\n", 1)[0], body=text, doc_id=d["doc"])
            pred = [q for q in extract_quotes(doc, tagger, guesser=rec) if q.kind in SCORED_KINDS]
            gold_of = {
                pred[pi].start: d["quotes"][gi] for gi, pi in match(d["quotes"], pred).items()
            }
            for pos, pairs in rec.asked:
                gold = gold_of.get(pos)
                if gold is None or not pairs:
                    continue  # not a gold quotation
                source = gold.get("speaker") or ""
                want = name_words(source)
                if not want and set(source.lower().split()) & PRONOUNS:
                    continue
                names = [n for n, _ in pairs]
                right = np.array([bool(want & name_words(n)) for n in names])
                out.append(
                    Example(d["doc"], pos, source, names, np.array([x for _, x in pairs]), right)
                )
    return out


def fit(examples: list[Example]) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Weights and bias on standardised features, with the mean and scale used."""
    x = np.vstack([e.x for e in examples])
    y = np.concatenate([e.right for e in examples]).astype(float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], PENALTY)
    reg[-1] = 0.0  # the bias is not penalised
    for _ in range(50):
        p = 1 / (1 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) + reg * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1]), mean, scale


def to_raw(w: np.ndarray, b: float, mean: np.ndarray, scale: np.ndarray) -> GuessModel:
    raw = w / scale
    return GuessModel(tuple(float(v) for v in raw), b - float(raw @ mean), 0.5)


def cross_validate(examples: list[Example]) -> list[tuple[float, bool, bool]]:
    """Per quotation, out of fold: (best probability, best is right, any is right)."""
    docs = sorted({e.doc for e in examples})
    fold = {d: i % FOLDS for i, d in enumerate(docs)}
    out: list[tuple[float, bool, bool]] = []
    for k in range(FOLDS):
        train = [e for e in examples if fold[e.doc] != k]
        model = to_raw(*fit(train))
        for e in (e for e in examples if fold[e.doc] == k):
            probs = [model.probability(list(row)) for row in e.x]
            best = max(range(len(probs)), key=lambda i: (probs[i], e.x[i][4]))
            out.append((probs[best], bool(e.right[best]), bool(e.right.any())))
    return out


def choose_threshold(cv: list[tuple[float, bool, bool]]) -> float:
    best_t, best_gain = 1.0, 0
    for t in np.arange(0.2, 0.951, 0.01):
        right = sum(1 for p, ok, _ in cv if p >= t and ok)
        wrong = sum(1 for p, ok, _ in cv if p >= t and not ok)
        if right - wrong > best_gain:
            best_t, best_gain = float(round(t, 2)), right - wrong
    return best_t


def report(cv: list[tuple[float, bool, bool]], threshold: float) -> None:
    n = len(cv)
    reachable = sum(1 for *_, any_ok in cv if any_ok)
    top1 = sum(1 for _, ok, _ in cv if ok)
    print(
        f"cross-validated on {n} quotations ({FOLDS} folds by document): a right candidate "
        f"among them {reachable}; best-scored is right {top1} ({top1 / n:.1%})"
    )
    for t in sorted({0.3, 0.4, 0.5, 0.6, 0.7, threshold}):
        right = sum(1 for p, ok, _ in cv if p >= t and ok)
        wrong = sum(1 for p, ok, _ in cv if p >= t and not ok)
        mark = "  <- chosen" if t == threshold else ""
        precision = right / max(right + wrong, 1)
        print(
            f"  threshold {t:.2f}: {right + wrong} guesses stand, {right} right, {wrong} wrong "
            f"(precision {precision:.1%}){mark}"
        )


def write(model: GuessModel, path: Path) -> None:
    lines = [
        "# The speaker guess of index/extract/guess.py: a logistic regression over the pair",
        "# (unattributed quotation, candidate person). Written by benchmarks/train_guess.py",
        "# from polnear-train's gold quotes; rerun it rather than editing by hand.",
        f"bias = {model.bias:.6f}",
        f"threshold = {model.threshold:.2f}",
        "",
        "[weights]",
        *(f"{name} = {w:.6f}" for name, w in zip(FEATURES, model.weights, strict=True)),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="do not write the weights")
    args = parser.parse_args(argv)
    model: GuessModel | None = None
    for rnd in (1, 2):
        examples = collect(TRAIN, model)
        cv = cross_validate(examples)
        threshold = choose_threshold(cv)
        print(f"pass {rnd}:")
        report(cv, threshold)
        fitted = to_raw(*fit(examples))
        model = GuessModel(fitted.weights, fitted.bias, threshold)
    assert model is not None
    pairs = zip(FEATURES, model.weights, strict=True)
    print("weights:", ", ".join(f"{f} {w:+.2f}" for f, w in pairs))
    if not args.dry_run:
        write(model, OUT)
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
