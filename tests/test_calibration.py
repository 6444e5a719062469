"""The committed weights load and make sense; calibration reruns and beats chance on a slice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis import calibrate as cal
from coach.analysis.linear import WEIGHTS_PATH, LinearModel, load_models, sigmoid
from coach.analysis.matcher import expand_leading_group, literal_prefix, split_top, words_of

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
needs_data = pytest.mark.skipif(
    not (DATA / "stanford-politeness").is_dir(), reason="shared data not beside the clone"
)


def test_committed_weights_load() -> None:
    models = load_models()
    assert set(models) == {
        "courtesy",
        "intimacy",
        "disclosure_emotional",
        "disclosure_informational",
    }
    doc = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert "tuning parts only" in doc["note"]
    for m in models.values():
        assert m.weights and all(isinstance(v, float) for v in m.weights.values())


def test_fitted_strategies_point_the_way_the_research_says() -> None:
    w = load_models()["courtesy"].weights
    for good in ("gratitude", "greeting", "counterfactual", "apology", "opinion", "valence_pos"):
        assert w[good] > 0, good
    for bad in ("direct_start", "factuality", "challenge", "valence_neg", "valence_neg_you"):
        assert w[bad] < 0, bad


def test_scores_are_monotone_in_the_evidence() -> None:
    model = LinearModel("m", bias=-0.5, weights={"gratitude": 1.0, "rude": -2.0})
    steps = [model.score({"gratitude": x}) for x in (0.0, 0.5, 1.0, 2.0)]
    assert steps == sorted(steps) and len(set(steps)) == 4
    worse = [model.score({"rude": x}) for x in (0.0, 1.0, 2.0)]
    assert worse == sorted(worse, reverse=True)
    linear = LinearModel("i", bias=0.0, weights={"a": 1.0}, kind="linear", lo=-1, hi=1)
    assert linear.score({"a": -5.0}) == 0.0 and linear.score({"a": 5.0}) == 1.0
    assert linear.score({"a": 0.0}) == 0.5


def test_sigmoid_never_overflows() -> None:
    assert sigmoid(1e6) == 1.0 and sigmoid(-1e6) == 0.0


def test_matcher_pattern_tools() -> None:
    assert split_top(r"a|(?:b|c)|[|]") == ["a", "(?:b|c)", "[|]"]
    assert expand_leading_group(r"(?:i|we)\s+x") == [r"i\s+x", r"we\s+x"]
    assert literal_prefix(r"thanks?") == "thank"
    assert literal_prefix(r"i\s+think") == "i"


def test_runtime_never_imports_scikit_learn() -> None:
    code = (
        "import sys; from coach.analysis.courtesy import analyse_courtesy;"
        "from coach.analysis.intimacy import analyse_intimacy;"
        "analyse_courtesy('Thanks!'); analyse_intimacy('Are you ok?');"
        "print('sklearn' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_calibrate_without_data_says_what_to_do(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "coach.analysis.calibrate", "--data", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "--data" in out.stderr
    assert not (tmp_path / "nope").exists()


@needs_data
@pytest.mark.slow  # importing scikit-learn alone takes seconds; the fit itself is fast
def test_refit_on_a_slice_beats_chance() -> None:
    wiki = cal.load_politeness(DATA, "wikipedia")
    # Alternate rows so both classes are in both halves; 700 to fit, 400 held out.
    train_x, train_y = wiki.texts[0:1400:2], wiki.labels[0:1400:2]
    test_x, test_y = wiki.texts[1:801:2], wiki.labels[1:801:2]
    spec = cal.fit_courtesy(train_x, train_y)
    model = LinearModel("c", bias=spec["bias"], weights=spec["weights"])
    hits = sum(
        (model.score(cal.politeness_feats(t)) > 0.5) == (y > 0.5)
        for t, y in zip(test_x, test_y, strict=True)
    )
    assert hits / len(test_x) > 0.7


@needs_data
def test_intimacy_refit_on_a_slice_correlates() -> None:
    d = cal.load_intimacy(DATA, "final_train.txt")
    spec = cal.fit_intimacy(d.texts[:900], d.labels[:900])
    model = LinearModel("i", bias=spec["bias"], weights=spec["weights"], kind="linear")
    held_x, held_y = d.texts[900:1300], d.labels[900:1300]
    preds = [model.raw(cal.intimacy_feats(t)) for t in held_x]
    n = len(preds)
    mp, my = sum(preds) / n, sum(held_y) / n
    cov = sum((p - mp) * (y - my) for p, y in zip(preds, held_y, strict=True))
    var_p = sum((p - mp) ** 2 for p in preds)
    var_y = sum((y - my) ** 2 for y in held_y)
    assert cov / (var_p * var_y) ** 0.5 > 0.4


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("aZİK’'é 9.!?🙂\u0301\n"), max_size=60) | st.text(max_size=60)
)
def test_word_offsets_index_the_original_text(text: str) -> None:
    for start, word in words_of(text):
        assert text[start : start + len(word)].lower().replace("’", "'") == word
