"""Fit the courtesy, intimacy and self-disclosure weights on the TUNING parts of the rated data.

    python -m coach.analysis.calibrate --data ../shared/data [--out coach/analysis/weights.json]

Dev-only (needs numpy and scikit-learn). The evaluation parts (Stack Exchange, intimacy test and
external, CL-Aff test) are never read here; `benchmarks/quality.py` reports on them.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from coach.analysis.courtesy import courtesy_features
from coach.analysis.intimacy import intimacy_features
from coach.analysis.linear import WEIGHTS_PATH
from coach.analysis.personal import find_personal, personal_features
from coach.analysis.politeness_strategies import find_strategies
from coach.analysis.shorthand import spelled_out
from coach.errors import UsageError

FeatureFn = Callable[[str], dict[str, float]]

# Settings chosen by cross-validation on the tuning parts only.
# Courtesy: single words only ("pairs": False; word pairs mostly restate the strategies), and
# only everyday English ones: seen in GENERAL_MIN_DF+ CL-Aff Reddit sentences (about 250
# words). Chosen on Wikipedia 10-fold CV over pairs yes/no x GENERAL_MIN_DF 3/30/100 x vocab
# 1000/3000 x C 0.1/0.3 by the one-standard-error rule: of the settings within one standard
# error of the best accuracy (0.856 +- 0.007), the one with the most general words, then the
# fewest, then the smallest C (here 0.849). Wikipedia CV alone always prefers more words; the
# rule trades a little in-domain fit for a model whose words can carry over to other
# communities, and whose score rests mostly on the strategies a person can see.
COURTESY = {"C": 0.3, "vocab": 1000, "min_df": 3, "pairs": False}
GENERAL_MIN_DF = 100
# Intimacy's `rare_words` counts words outside a broader everyday set (seen in 3+ CL-Aff
# sentences, ~6,000 words); chosen by CV on intimacy train+val, apart from courtesy's choice.
EVERYDAY_MIN_DF = 3
# Intimacy words enter at `word_scale` / sqrt(number of words) while fitting (a lighter penalty
# on them than on the named features, chosen with alpha by CV on train+val) and are stored
# multiplied back, so the app reads each word at 1 / sqrt(number of words). The cue and Empath
# category counts (also per sqrt(number of words)) enter at their own scales.
INTIMACY = {
    "alpha": 10.0,
    "vocab": 3000,
    "min_df": 2,
    "word_scale": 3.0,
    "cue_scale": 2.0,
    "empath_scale": 1.0,
}
# Balanced classes: a sentence that discloses is the minority in training (31% emotional).
DISCLOSURE = {"C": 0.3, "vocab": 2000, "min_df": 3, "balanced": True}
# Vocabulary features: single words and adjacent word pairs.
VOCAB_PREFIXES = ("w:", "b:")
# Hand-set, in intimacy's raw units (-1..1), for what rated questions cannot teach: an
# endearment ("hun"), the writer's own feelings (scaled by how sure the disclosure model is),
# a question about a sensitive topic in the reader's own life ("your salary", where they live),
# and telling about one in the writer's own ("my therapist").
PRIORS = {
    "note": "hand-set, not fitted: the question data has almost no endearments or disclosures",
    "endearment": 0.2,
    "emotional_disclosure": 0.25,
    "sensitive_question": 0.15,
    "sensitive_disclosure": 0.15,
}
# Where an ordinary request to "you" lands on the app's 0..1 intimacy scale.
ANCHOR_SCORE = 0.15
# Weights smaller than this are dropped from the file: they move no score visibly.
PRUNE = 0.005


# Cached: cross-validation extracts the same texts' features many times. Callers never mutate.
@lru_cache(maxsize=100_000)
def politeness_feats(text: str) -> dict[str, float]:
    return courtesy_features(find_strategies(spelled_out(text)))


@lru_cache(maxsize=100_000)
def personal_feats(text: str) -> dict[str, float]:
    return personal_features(find_personal(spelled_out(text)))


@lru_cache(maxsize=100_000)
def intimacy_feats(text: str, everyday: frozenset[str] | None = None) -> dict[str, float]:
    """The intimacy model's input, words at the app's scale (1 / sqrt(number of words)).
    `everyday`: the everyday-English words (default: the ones in the shipped weights file)."""
    return intimacy_features(spelled_out(text), everyday)


# --- data --------------------------------------------------------------------------------


@dataclass(slots=True)
class Rated:
    texts: list[str]
    labels: list[float]


def _need(path: Path) -> Path:
    if not path.is_file():
        raise UsageError(
            f"Data file not found: {path}.",
            "Pass --data pointing at the shared data folder (it holds stanford-politeness/ ...).",
        )
    return path


def load_politeness(data: Path, community: str = "wikipedia", binary: bool = True) -> Rated:
    """Quartile set (+1 / -1 rows of `*.binary.csv`) or every row with its normalized score."""
    path = _need(data / "stanford-politeness" / f"{community}.binary.csv")
    texts: list[str] = []
    labels: list[float] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if binary:
                b = int(row["Binary"])
                if b == 0:
                    continue
                texts.append(row["Request"])
                labels.append(1.0 if b > 0 else 0.0)
            else:
                texts.append(row["Request"])
                labels.append(float(row["Normalized Score"]))
    return Rated(texts, labels)


def load_politeness_table(data: Path, community: str) -> list[tuple[str, float, int]]:
    """Every row as (text, normalized score, binary +1 / 0 / -1)."""
    path = _need(data / "stanford-politeness" / f"{community}.binary.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            (row["Request"], float(row["Normalized Score"]), int(row["Binary"]))
            for row in csv.DictReader(fh)
        ]


def load_intimacy(data: Path, *names: str) -> Rated:
    texts: list[str] = []
    labels: list[float] = []
    for name in names:
        path = _need(data / "question-intimacy" / name)
        for line in path.read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                text, score = line.rsplit("\t", 1)
                texts.append(text)
                labels.append(float(score))
    return Rated(texts, labels)


def clean_claff(text: str) -> str:
    # The CSVs carry R's escapes for curly quotes ("I<U+0092>m"); read them as apostrophes.
    return text.replace("<U+0092>", "'").replace("<U+0091>", "'")


def load_claff(data: Path, split: str, column: str) -> Rated:
    name = "labeled_training_set.csv" if split == "train" else "labeled_test_set.csv"
    path = _need(data / "claff-offmychest" / name)
    texts: list[str] = []
    labels: list[float] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            texts.append(clean_claff(row["full_text"]))
            labels.append(float(row[column]))
    return Rated(texts, labels)


# --- fitting -----------------------------------------------------------------------------


def vocabulary(
    feature_dicts: Iterable[dict[str, float]],
    size: int,
    min_df: int,
    general: set[str] | None = None,
) -> set[str]:
    """The `size` most frequent words and word pairs seen in at least `min_df` training texts.

    With `general`, only words (and pairs of words) from that set are candidates.
    """
    df: Counter[str] = Counter()
    for fd in feature_dicts:
        df.update(k for k in fd if k.startswith(VOCAB_PREFIXES))
    if general is not None:
        df = Counter({k: n for k, n in df.items() if _is_general(k, general)})
    return {k for k, n in df.most_common(size) if n >= min_df}


def _is_general(key: str, general: set[str]) -> bool:
    body = key[2:]
    if key.startswith("b:"):
        first, _, second = body.partition("_")
        return first in general and second in general
    return body in general


def general_words(data: Path, min_df: int = GENERAL_MIN_DF) -> set[str]:
    """Words of everyday English: seen in at least `min_df` CL-Aff Reddit sentences (tuning set).

    The politeness vocabulary is limited to these, so Wikipedia's own jargon ("article",
    "vandalism", "<url>") cannot carry the score: what is left transfers to other communities.
    """
    from coach.analysis.matcher import words_of

    df: Counter[str] = Counter()
    for text in load_claff(data, "train", "Emotional_disclosure").texts:
        df.update({w for _, w in words_of(spelled_out(text))})
    return {w for w, n in df.items() if n >= min_df}


def _restrict(fds: Sequence[dict[str, float]], vocab: set[str]) -> list[dict[str, float]]:
    return [
        {k: v for k, v in fd.items() if not k.startswith(VOCAB_PREFIXES) or k in vocab}
        for fd in fds
    ]


def fit_linear(
    fds: Sequence[dict[str, float]],
    labels: Sequence[float],
    *,
    kind: str,
    vocab: int,
    min_df: int,
    C: float = 1.0,
    alpha: float = 1.0,
    balanced: bool = False,
    general: set[str] | None = None,
) -> dict[str, Any]:
    """Fit one model on feature dicts; return the weights-file entry for it."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression, Ridge

    keep = vocabulary(fds, vocab, min_df, general)
    rows = _restrict(fds, keep)
    vec = DictVectorizer()
    X = vec.fit_transform(rows)
    model: Any
    if kind == "logistic":
        model = LogisticRegression(
            C=C, max_iter=2000, class_weight="balanced" if balanced else None
        )
        model.fit(X, [int(y) for y in labels])
        coefs, bias = model.coef_[0], float(model.intercept_[0])
    else:
        model = Ridge(alpha=alpha)
        model.fit(X, list(labels))
        coefs, bias = model.coef_, float(model.intercept_)
    weights = {
        name: round(float(w), 4)
        for name, w in zip(vec.get_feature_names_out(), coefs, strict=True)
        if abs(w) >= PRUNE
    }
    # Named strategies first, then words, each by weight: the file reads top-down.
    ordered = dict(
        sorted(weights.items(), key=lambda kv: (kv[0].startswith("w:"), -abs(kv[1]), kv[0]))
    )
    return {"kind": kind, "bias": round(bias, 4), "weights": ordered}


def fit_courtesy(
    texts: Sequence[str],
    labels: Sequence[float],
    calib: Rated | None = None,
    general: set[str] | None = None,
    **params: Any,
) -> dict[str, Any]:
    """Logistic model on the quartile set (labels 1 polite, 0 impolite).

    With `calib` (every rated request, normalized scores), the log-odds are then rescaled
    (Platt) so the score reads as P(readers rate it above the average request), also for the
    middle half the quartile model never saw. Rescaling keeps the model one linear sum.
    """
    p = {**COURTESY, **params, "general": general}
    pairs = bool(p.pop("pairs"))
    spec = fit_linear(courtesy_rows(texts, pairs), labels, kind="logistic", **p)
    if calib is not None:
        a, b = platt(calib, p, pairs=pairs)
        spec["weights"] = {k: round(v * a, 4) for k, v in spec["weights"].items()}
        spec["bias"] = round(spec["bias"] * a + b, 4)
        spec["platt"] = {"a": round(a, 4), "b": round(b, 4)}
    return spec


def courtesy_rows(texts: Sequence[str], pairs: bool) -> list[dict[str, float]]:
    """The courtesy feature dicts of `texts`; without `pairs`, no word-pair ("b:") features."""
    if pairs:
        return [politeness_feats(t) for t in texts]
    return [{k: v for k, v in politeness_feats(t).items() if not k.startswith("b:")} for t in texts]


def platt(
    calib: Rated, params: dict[str, Any], folds: int = 5, pairs: bool = True
) -> tuple[float, float]:
    """Scale a, shift b so sigmoid(a*z + b) ~ P(score > 0), from out-of-fold log-odds z."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold

    from coach.analysis.linear import model_from_dict

    scores = np.asarray(calib.labels)
    q25, q75 = np.quantile(scores, [0.25, 0.75])
    fds = courtesy_rows(calib.texts, pairs)
    z = np.zeros(len(fds))
    for tr, te in KFold(folds, shuffle=True, random_state=0).split(fds):
        quart = [i for i in tr if scores[i] >= q75 or scores[i] <= q25]
        spec = fit_linear(
            [fds[i] for i in quart],
            [1.0 if scores[i] >= q75 else 0.0 for i in quart],
            kind="logistic",
            **params,
        )
        model = model_from_dict("fold", spec)
        z[te] = [model.raw(fds[i]) for i in te]
    lr = LogisticRegression(C=1e6).fit(z[:, None], (scores > 0).astype(int))
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


def fit_intimacy(
    texts: Sequence[str],
    labels: Sequence[float],
    anchor: Sequence[str] | None = None,
    everyday: set[str] | None = None,
    **params: Any,
) -> dict[str, Any]:
    """Ridge regression on the -1..1 intimacy ratings.

    `everyday` (words of everyday English, `general_words`) is stored in the model for its
    "rare_words" feature; without it, the shipped weights file's set is used.

    With `anchor` (ordinary requests addressed to "you": the Wikipedia politeness requests), also
    the app's 0..1 mapping: the anchors' median maps to ANCHOR_SCORE, and the 99th percentile of
    out-of-fold predictions on the rated questions maps to 1 (as intimate as the data gets).
    Every message in a chat says "you"; the anchor keeps that alone from reading as personal.
    """
    p = {**INTIMACY, **params}
    scale = {
        "w:": float(p.pop("word_scale")),
        "cue:": float(p.pop("cue_scale")),
        "empath:": float(p.pop("empath_scale")),
    }
    common = frozenset(everyday) if everyday is not None else None
    fds = [intimacy_feats(t, common) for t in texts]
    spec = _fit_scaled(fds, labels, scale, p)
    spec.update({"lo": -1.0, "hi": 1.0})
    if common is not None:
        spec["everyday_words"] = " ".join(sorted(common))
    if anchor is not None:
        import numpy as np
        from sklearn.model_selection import KFold

        from coach.analysis.linear import model_from_dict

        y = np.asarray(labels)
        z = np.zeros(len(fds))
        for tr, te in KFold(5, shuffle=True, random_state=0).split(fds):
            fold = _fit_scaled([fds[i] for i in tr], y[tr].tolist(), scale, p)
            model = model_from_dict("fold", fold)
            z[te] = [model.raw(fds[i]) for i in te]
        hi = float(np.percentile(z, 99))
        full = model_from_dict("full", spec)
        mid = float(np.median([full.raw(intimacy_feats(t, common)) for t in anchor]))
        lo = (mid - ANCHOR_SCORE * hi) / (1 - ANCHOR_SCORE)
        spec.update({"lo": round(lo, 4), "hi": round(hi, 4)})
    return spec


def _fit_scaled(
    fds: Sequence[dict[str, float]],
    labels: Sequence[float],
    scale: dict[str, float],
    p: dict[str, Any],
) -> dict[str, Any]:
    """Fit with the features of each prefix in `scale` multiplied by its factor (a lighter or
    heavier ridge penalty on that group); store their weights multiplied back, so the model
    reads the unscaled features."""

    def factor(key: str) -> float:
        for prefix, f in scale.items():
            if key.startswith(prefix):
                return f
        return 1.0

    scaled = [{k: v * factor(k) for k, v in fd.items()} for fd in fds]
    spec = fit_linear(scaled, labels, kind="linear", **p)
    spec["weights"] = {k: round(w * factor(k), 4) for k, w in spec["weights"].items()}
    return spec


def fit_disclosure(texts: Sequence[str], labels: Sequence[float], **params: Any) -> dict[str, Any]:
    p = {**DISCLOSURE, **params}
    return fit_linear([personal_feats(t) for t in texts], labels, kind="logistic", **p)


def calibrate(data: Path) -> dict[str, Any]:
    """Every model, fitted on the tuning parts only."""
    wiki = load_politeness(data, "wikipedia")
    wiki_all = load_politeness(data, "wikipedia", binary=False)
    inti = load_intimacy(data, "final_train.txt", "final_val.txt")
    emo = load_claff(data, "train", "Emotional_disclosure")
    info = load_claff(data, "train", "Information_disclosure")
    return {
        "version": 1,
        "note": (
            "Fitted by `python -m coach.analysis.calibrate` on the tuning parts only: Stanford "
            "politeness (Wikipedia quartiles), question intimacy (train+val), CL-Aff OffMyChest "
            "(training set). Each model: score = bias + sum(weight * feature); courtesy and "
            "disclosure take the sigmoid; intimacy adds the priors and maps lo..hi onto 0..1."
        ),
        "priors": PRIORS,
        "settings": {
            "courtesy": {
                **COURTESY,
                "words": f"only words seen in {GENERAL_MIN_DF}+ CL-Aff training sentences",
            },
            "intimacy": INTIMACY,
            "disclosure": DISCLOSURE,
        },
        "models": {
            "courtesy": fit_courtesy(
                wiki.texts, wiki.labels, calib=wiki_all, general=general_words(data)
            ),
            "intimacy": fit_intimacy(
                inti.texts, inti.labels, anchor=wiki_all.texts,
                everyday=general_words(data, EVERYDAY_MIN_DF),
            ),
            "disclosure_emotional": fit_disclosure(emo.texts, emo.labels),
            "disclosure_informational": fit_disclosure(info.texts, info.labels),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    args = parser.parse_args(argv)
    try:
        doc = calibrate(args.data)
    except UsageError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code
    args.out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    sizes = {name: len(m["weights"]) for name, m in doc["models"].items()}
    print(f"wrote {args.out}: {sizes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
