"""The fitted linear models behind the scores: loaded lazily from `weights.json`, applied in plain Python.

The file is written by `python -m coach.analysis.calibrate`; every model is a bias plus named
feature weights, so a score decomposes into per-feature contributions a person can read.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, reduce
from itertools import pairwise
from operator import add
from pathlib import Path
from typing import Any

# Contributions smaller than this are summed into one "other words" signal.
SIGNAL_FLOOR = 0.05
OTHER_WORDS = "w:(other words)"
WEIGHTS_PATH = Path(__file__).with_name("weights.json")


@dataclass(slots=True)
class LinearModel:
    """bias + sum(weight * value); `kind` says how the sum becomes a score."""

    name: str
    bias: float = 0.0
    weights: dict[str, float] = field(default_factory=dict)
    kind: str = "logistic"  # "logistic": sigmoid of the sum; "linear": the sum itself
    # For "linear" models: the target range, mapped onto 0..1 for the app.
    lo: float = -1.0
    hi: float = 1.0
    # Derived in __post_init__: word weights without the "w:" prefix, pair weights by word pair.
    _words: dict[str, float] = field(default_factory=dict, repr=False)
    _pairs: dict[tuple[str, str], float] = field(default_factory=dict, repr=False)

    def raw(self, features: dict[str, float]) -> float:
        w = self.weights
        total = self.bias
        for key, value in features.items():
            weight = w.get(key)
            if weight is not None:
                total += weight * value
        return total

    def contributions(self, features: dict[str, float]) -> dict[str, float]:
        """Each active feature's share of the sum, largest first (what the score rests on)."""
        w = self.weights
        items = [(k, w[k] * v) for k, v in features.items() if k in w]
        items.sort(key=_abs_second, reverse=True)
        return dict(items)

    def explain(self, features: dict[str, float]) -> tuple[float, dict[str, float]]:
        """The 0..1 score and the contributions, in one pass over the features."""
        get = self.weights.get
        items: list[tuple[str, float]] = []
        z = self.bias
        for k, v in features.items():
            wk = get(k)
            if wk is not None:
                c = wk * v
                z += c
                items.append((k, c))
        return self.to_score(z), _readable(items)

    def explain_text(
        self, named: dict[str, float], tokens: list[str], pairs: bool = False, signals: bool = True
    ) -> tuple[float, dict[str, float]]:
        """The raw sum and its contributions over `named` plus word ("w:") and pair ("b:") features.

        Same sum as building every "w:..." key, without making strings for words the model
        does not know (most of them): the hot path of every check. `signals=False` skips the
        explanation when only the number is needed.
        """
        # The sums run in a fixed order (named, then words in text order, then pairs in text
        # order), so every float is the same however the explanation is built.
        if not signals:
            return self.text_sum(named, tokens, pairs), {}
        get = self.weights.get
        words = self._words
        pair_w = self._pairs
        # filter() with a bound __contains__ runs the test in C, no bytecode per word; only the
        # few known words are then deduplicated (first occurrences, in text order).
        known = list(dict.fromkeys(filter(words.__contains__, tokens)))
        found: list[tuple[str, str]] = []
        if pairs and pair_w:
            found = list(filter(pair_w.__contains__, pairwise(tokens)))
        z = self.bias
        # The explanation: shares of at least SIGNAL_FLOOR by name, in the order found; the
        # many small ones summed into one "other words" entry (see `_readable`).
        out: dict[str, float] = {}
        small = 0.0
        for k, v in named.items():
            wk = get(k)
            if wk is not None:
                c = wk * v
                z += c
                if c >= SIGNAL_FLOOR or c <= -SIGNAL_FLOOR:
                    out[k] = c
                else:
                    small += c
        for tok in known:
            wk = words[tok]
            z += wk
            if wk >= SIGNAL_FLOOR or wk <= -SIGNAL_FLOOR:
                out["w:" + tok] = wk
            else:
                small += wk
        if found:
            small_pairs: list[float] = []
            seen: set[tuple[str, str]] = set()
            for pair in found:
                if pair not in seen:
                    seen.add(pair)
                    wk = pair_w[pair]
                    z += wk
                    if wk >= SIGNAL_FLOOR or wk <= -SIGNAL_FLOOR:
                        out[f"b:{pair[0]}_{pair[1]}"] = wk
                    else:
                        small_pairs.append(wk)
            if small_pairs:
                small += sum(small_pairs)
        if small:
            out[OTHER_WORDS] = small
        return z, out

    def text_sum(
        self, named: dict[str, float], tokens: Sequence[str], pairs: bool = False
    ) -> float:
        """The sum `explain_text` returns, without the explanation: the hot path of every check.

        The same additions in the same order (named, then known words in order of first
        appearance, then known pairs likewise). Plain loops: on this hot path the per-word cost
        of a loop is about that of a `filter`/`map`/`reduce` chain, and a chain costs thousands
        of instructions to set up before its first item (most drafts are a few dozen words).
        A feature without a weight is skipped where the chain added `0.0 * value`: the sum
        starts at the bias and only ever adds to it, so it is never -0.0, and adding a zero
        to anything else leaves it as it is."""
        z = self.bias
        if named:
            get = self.weights.get
            for k, v in named.items():
                wk = get(k)
                if wk is not None:
                    z += wk * v
        get = self._words.get
        seen: set[str] = set()
        for tok in tokens:
            wk = get(tok)
            if wk is not None and tok not in seen:
                seen.add(tok)
                z += wk
        pair_w = self._pairs
        if pairs and pair_w:
            found_pairs = dict.fromkeys(filter(pair_w.__contains__, pairwise(tokens)))
            z = reduce(add, map(pair_w.__getitem__, found_pairs), z)
        return z

    def __post_init__(self) -> None:
        self._words = {k[2:]: v for k, v in self.weights.items() if k.startswith("w:")}
        self._pairs = {_split_pair(k[2:]): v for k, v in self.weights.items() if k.startswith("b:")}

    def score(self, features: dict[str, float]) -> float:
        """The raw sum as a 0..1 score: a probability, or the target range rescaled."""
        return self.to_score(self.raw(features))

    def to_score(self, z: float) -> float:
        if self.kind == "logistic":
            return sigmoid(z)
        return min(1.0, max(0.0, (z - self.lo) / (self.hi - self.lo)))


def _split_pair(body: str) -> tuple[str, str]:
    """ "don't_know" -> ("don't", "know"): words never contain "_", so the first one splits."""
    first, _, second = body.partition("_")
    return first, second


def _readable(items: list[tuple[str, float]], small: float = 0.0) -> dict[str, float]:
    """Contributions in the order found (named strategies first, then words), with the many
    small word shares summed into one entry. Not sorted: that costs more than the rest of the
    explanation, and a display sorts the few it shows (`top_signals`).

    The values still add up to the score's log-odds (or raw sum) minus the bias.
    """
    out = {k: c for k, c in items if c >= SIGNAL_FLOOR or c <= -SIGNAL_FLOOR}
    small += sum(c for _, c in items if -SIGNAL_FLOOR < c < SIGNAL_FLOOR)
    if small:
        out[OTHER_WORDS] = small
    return out


def top_signals(signals: dict[str, float], n: int = 5) -> list[tuple[str, float]]:
    """The `n` largest contributions by size, for a person to read."""
    return sorted(signals.items(), key=_abs_second, reverse=True)[:n]


def _abs_second(kv: tuple[str, float]) -> float:
    return abs(kv[1])


def sigmoid(z: float) -> float:
    # Split by sign so large |z| never overflows math.exp.
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@cache
def _load_doc(path: Path = WEIGHTS_PATH) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


@cache
def load_models(path: Path = WEIGHTS_PATH) -> dict[str, LinearModel]:
    """All models in the weights file, by name. Read once, on first use."""
    return {name: model_from_dict(name, spec) for name, spec in _load_doc(path)["models"].items()}


@cache
def load_priors(path: Path = WEIGHTS_PATH) -> dict[str, float]:
    """Hand-set weights for what the rated data cannot teach (see the file's "priors" note).
    Read once; callers must not change the dict."""
    priors = _load_doc(path).get("priors", {})
    return {k: float(v) for k, v in priors.items() if k != "note"}


def model_from_dict(name: str, spec: dict[str, object]) -> LinearModel:
    weights = spec.get("weights", {})
    assert isinstance(weights, dict)
    return LinearModel(
        name=name,
        bias=float(spec.get("bias", 0.0)),  # type: ignore[arg-type]
        weights={str(k): float(v) for k, v in weights.items()},
        kind=str(spec.get("kind", "logistic")),
        lo=float(spec.get("lo", -1.0)),  # type: ignore[arg-type]
        hi=float(spec.get("hi", 1.0)),  # type: ignore[arg-type]
    )


def get_model(name: str) -> LinearModel:
    return load_models()[name]
