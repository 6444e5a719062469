"""Speed of the offline check against a TF-IDF + logistic regression model, same run, one core.

    uv run python benchmarks/check_speed.py [--seconds S] [--data DIR]

- `checks_per_s`: full `check_offline` calls (courtesy, intimacy, spans, stage, pacing, verdict,
  rewrite, the result model) on varied tweet-length drafts against a contact with 20
  interactions, measured in CPU time of this process pinned to one core (the machine may be
  shared; CPU time is what one core gives). `checks_per_s_wall` is the same by the wall clock.
- `checks_per_s_cold`: the same, with the per-contact facts cache cleared before every check.
- `p99_ms_2000_chars` / `p50_ms_2000_chars`: per-check CPU time on 2,000-character drafts.
- `baseline_per_s`, `baseline_p99_ms_2000_chars`: a scikit-learn TfidfVectorizer (1-2 grams) +
  LogisticRegression, fitted on the Wikipedia politeness tuning part (or on the drafts here when
  the shared data is absent), predicting one text at a time, the way a check sees one draft.
Prints readable lines, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coach.analysis.stage import forget_facts  # noqa: E402
from coach.check import check_offline  # noqa: E402
from coach.models import Contact, Disclosure, Interaction, Preference  # noqa: E402

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
TWEETS = [
    "Hi Dana, thanks so much for the kind words about the export! Could you tell me whether the "
    "order notes now come through the way you expected? Happy to adjust.",
    "Hey hun, loved your post!! How are the kids doing? We should totally grab coffee sometime, "
    "what's your number?",
    "So you never replied to my last two messages. Just bumping this again, did you even see it?",
    "Congrats on the new baby! I saw on your Instagram you moved to Rotterdam too. Would love to "
    "hear how the new flat is going.",
    "Thanks for the thoughtful reply on the pricing thread. Would you mind if I quoted it in a "
    "follow-up post? Completely fine if not.",
    "Introduce me to your VP of Operations and get me 30 minutes on their calendar this week. Our "
    "tool will save your team hours.",
    "Honestly I've been struggling a lot since my divorce and my therapist says I need new "
    "friends. I feel like we really clicked at the meetup.",
    "Quick update: the fix for the CSV export ships on Thursday. I'll post the changelog here and "
    "tag you when it's live. Thanks again for reporting it!",
    "Dear Dr. Okafor, the two extra seats are ready and the invoice is attached. Please let me "
    "know if anything looks off. Best regards, Sam",
    "Привет! Thanks for the talk yesterday 👋🏽 José and I loved the part about stateful testing. "
    "Any chance you could share the slides?",
]
PAD = (
    " I also wanted to say how much the team appreciated your detailed notes on the export; we "
    "read every one of them and changed the column order because of it."
)


def dana() -> Contact:
    its = [
        Interaction(
            direction="in" if n % 3 else "out",
            at=NOW - timedelta(days=40 - 2 * n),
            channel="public_reply" if n < 8 else "dm",
            text="Thanks, the export saves me an hour every Friday!" if n % 3 else "Glad it helps!",
        )
        for n in range(20)
    ]
    return Contact(
        name="Dana Reyes",
        preferred_name="Dana",
        pronouns="she/her",
        context="customer",
        interactions=its,
        disclosures=[Disclosure(who="them", topic="work", depth=1)],
        preferences=[Preference(kind="quiet_hours", value="21:00-08:00")],
    )


def long_drafts(n: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(n):
        text = rng.choice(TWEETS)
        while len(text) < 2000:
            text += rng.choice((PAD, " " + rng.choice(TWEETS)))
        out.append(text[:2000])
    return out


def pin_one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned (no sched_setaffinity here)"


def throughput(fn: Callable[[str], Any], drafts: list[str], seconds: float) -> tuple[float, float]:
    """(calls per CPU second, calls per wall second) over about `seconds` of CPU time."""
    for d in drafts:  # warm up: lazy weights, lexicons, caches
        fn(d)
    n = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    while True:
        for d in drafts:
            fn(d)
        n += len(drafts)
        cpu = time.process_time() - cpu0
        if cpu >= seconds:
            return n / cpu, n / (time.perf_counter() - wall0)


def latencies_ms(fn: Callable[[str], Any], drafts: list[str], rounds: int) -> list[float]:
    for d in drafts[:5]:
        fn(d)
    out = []
    for _ in range(rounds):
        for d in drafts:
            t0 = time.process_time()
            fn(d)
            out.append((time.process_time() - t0) * 1000)
    return out


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def baseline_model(data: Path | None) -> tuple[Callable[[str], Any], str]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts: list[str] = []
    labels: list[int] = []
    source = "the benchmark's own drafts (no shared data found)"
    wiki = data / "stanford-politeness" / "wikipedia.binary.csv" if data else None
    if wiki and wiki.exists():
        with wiki.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["Binary"] in ("1", "-1"):
                    texts.append(row["Request"])
                    labels.append(int(row["Binary"]))
        source = f"{wiki} (tuning part, top vs bottom quartile)"
    else:
        rng = random.Random(1)
        for _ in range(400):
            t = rng.choice(TWEETS)
            texts.append(t)
            labels.append(1 if ("thank" in t.lower() or "could" in t.lower()) else -1)
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    model = LogisticRegression(max_iter=1000).fit(vec.fit_transform(texts), labels)

    def predict(text: str) -> float:
        return float(model.predict_proba(vec.transform([text]))[0, 1])

    return predict, source


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0, help="CPU seconds per throughput figure")
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = ap.parse_args(argv)
    pinned = pin_one_core()
    rng = random.Random(7)
    contact = dana()
    tweets = [t[:280] for t in TWEETS]
    longs = long_drafts(40, rng)

    def check(d: str) -> Any:
        return check_offline(d, contact, "dm", now=NOW)

    def cold(d: str) -> Any:
        forget_facts()
        return check_offline(d, contact, "dm", now=NOW)

    per_s, per_s_wall = throughput(check, tweets, args.seconds)
    per_s_cold, _ = throughput(cold, tweets, args.seconds / 2)
    lat = latencies_ms(check, longs, 10)
    predict, source = baseline_model(args.data if args.data.exists() else None)
    base_per_s, base_wall = throughput(predict, tweets, args.seconds)
    base_lat = latencies_ms(predict, longs, 10)

    result = {
        "checks_per_s": round(per_s),
        "checks_per_s_wall": round(per_s_wall),
        "checks_per_s_cold": round(per_s_cold),
        "p50_ms_2000_chars": round(p(lat, 50), 3),
        "p99_ms_2000_chars": round(p(lat, 99), 3),
        "baseline_per_s": round(base_per_s),
        "baseline_per_s_wall": round(base_wall),
        "baseline_p99_ms_2000_chars": round(p(base_lat, 99), 3),
        "speed_ratio": round(per_s / base_per_s, 2),
        "p99_ratio": round(p(lat, 99) / p(base_lat, 99), 2),
        "targets_met": per_s >= 5000 and p(lat, 99) < 5.0,
    }
    print(f"one core: {pinned}; load average {os.getloadavg()[0]:.1f}")
    print(
        f"offline check, tweet-length, contact with 20 interactions: {result['checks_per_s']:,} "
        f"checks/s CPU ({result['checks_per_s_wall']:,} wall; {result['checks_per_s_cold']:,} "
        "with the facts cache cleared each time)"
    )
    print(
        f"offline check, 2,000 characters: p50 {result['p50_ms_2000_chars']} ms, "
        f"p99 {result['p99_ms_2000_chars']} ms"
    )
    print(
        f"baseline TF-IDF + logistic regression ({source}): {result['baseline_per_s']:,} "
        f"predictions/s, p99 {result['baseline_p99_ms_2000_chars']} ms on 2,000 characters"
    )
    print(
        f"ratios: {result['speed_ratio']}x the baseline's throughput; p99 "
        f"{result['p99_ratio']}x the baseline's"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
