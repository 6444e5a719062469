"""The fitted linear models behind the scores: loaded lazily from `weights.json`, applied in plain Python.

The file is written by `python -m coach.analysis.calibrate`; every model is a bias plus named
feature weights, so a score decomposes into per-feature contributions a person can read.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SIGNAL_FLOOR = 0.005
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
                # Shares under 0.005 move no score visibly; listing them only adds noise.
                if c >= SIGNAL_FLOOR or c <= -SIGNAL_FLOOR:
                    items.append((k, c))
        items.sort(key=_abs_second, reverse=True)
        return self.to_score(z), dict(items)

    def score(self, features: dict[str, float]) -> float:
        """The raw sum as a 0..1 score: a probability, or the target range rescaled."""
        return self.to_score(self.raw(features))

    def to_score(self, z: float) -> float:
        if self.kind == "logistic":
            return sigmoid(z)
        return min(1.0, max(0.0, (z - self.lo) / (self.hi - self.lo)))


def _abs_second(kv: tuple[str, float]) -> float:
    return abs(kv[1])


def sigmoid(z: float) -> float:
    # Split by sign so large |z| never overflows math.exp.
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@cache
def load_models(path: Path = WEIGHTS_PATH) -> dict[str, LinearModel]:
    """All models in the weights file, by name. Read once, on first use."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {name: model_from_dict(name, spec) for name, spec in doc["models"].items()}


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
