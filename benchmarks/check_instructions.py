"""Instructions per offline check under callgrind, against the TF-IDF baseline's per prediction.

    uv run python benchmarks/check_instructions.py [--rounds N] [--wikipedia]

On a shared machine the timings of `check_speed.py` swing by half from one run to the next; the
number of instructions a check executes does not (it moves by about 1% with Python's hash seed,
fixed here at 0). Each figure is (instructions with N rounds - instructions with 0 rounds) /
(N x 10 drafts), so start-up, imports and model fitting cancel out. The drafts and the contact
(20 interactions) are `check_speed.py`'s. The baseline (TF-IDF 1-2 grams + logistic regression,
predicting one text at a time) is fitted on those drafts, or with `--wikipedia` on the Wikipedia
politeness tuning part as in `check_speed.py` (several minutes slower under callgrind).

Needs valgrind (says so and exits 2 without it). Prints readable lines, then one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_COLLECTED = re.compile(r"Collected : (\d+)")


def child(kind: str, rounds: int, wikipedia: bool) -> None:
    """Run inside callgrind: warm up, then `rounds` rounds over the drafts."""
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE.parent))
    import check_speed as cs

    from coach.check import check_offline

    tweets = [t[:280] for t in cs.TWEETS]
    if kind == "coach":
        contact = cs.dana()

        def run(d: str) -> object:
            return check_offline(d, contact, "dm", now=cs.NOW)
    else:
        data = HERE.parent.parent / "shared" / "data" if wikipedia else None
        run, _ = cs.baseline_model(data)
    for d in tweets:  # warm up: lazy weights, lexicons, caches
        run(d)
    for _ in range(rounds):
        for d in tweets:
            run(d)


def instructions(kind: str, rounds: int, wikipedia: bool) -> int:
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
           __file__, "--child", kind, "--rounds", str(rounds)]
    if wikipedia:
        cmd.append("--wikipedia")
    # One thread for the numerical libraries: under callgrind their worker threads' spin-waits
    # count as instructions, and by how long they spin, not by the work (a run once came out
    # with fewer instructions for 30 rounds than for none).
    single = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    out = subprocess.run(cmd, capture_output=True, text=True,
                         env={**os.environ, "PYTHONHASHSEED": "0", **single}, check=False)
    found = _COLLECTED.search(out.stderr)
    if out.returncode != 0 or found is None:
        raise SystemExit(f"callgrind run failed ({' '.join(cmd)}):\n{out.stderr[-2000:]}")
    return int(found.group(1))


def per_call(kind: str, rounds: int, wikipedia: bool) -> int:
    base = instructions(kind, 0, wikipedia)
    more = instructions(kind, rounds, wikipedia)
    if more <= base:
        raise SystemExit(f"the {kind} count was unstable: {more:,} instructions with {rounds} "
                         f"rounds, {base:,} with none. Run again on a quieter machine.")
    return (more - base) // (rounds * 10)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=30, help="rounds of the 10 drafts (default 30)")
    ap.add_argument("--wikipedia", action="store_true",
                    help="fit the baseline on the Wikipedia tuning part (../shared/data)")
    ap.add_argument("--child", choices=("coach", "baseline"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.rounds, args.wikipedia)
        return 0
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: this benchmark counts instructions with callgrind. "
              "Install valgrind, or use benchmarks/check_speed.py for timings.", file=sys.stderr)
        return 2
    print(f"counting instructions under callgrind, {args.rounds} rounds of 10 drafts "
          "(a few minutes)...", flush=True)
    coach = per_call("coach", args.rounds, args.wikipedia)
    print(f"offline check, tweet-length, contact with 20 interactions: {coach:,} instructions",
          flush=True)
    base = per_call("baseline", args.rounds, args.wikipedia)
    fitted = "Wikipedia tuning part" if args.wikipedia else "the benchmark's drafts"
    print(f"baseline TF-IDF + logistic regression (fitted on {fitted}): {base:,} instructions "
          "per prediction")
    print(f"ratio: a check costs {coach / base:.2f}x a baseline prediction")
    print(json.dumps({"instructions_per_check": coach, "baseline_instructions_per_prediction": base,
                      "ratio": round(coach / base, 2), "rounds": args.rounds,
                      "baseline_fitted_on": fitted}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
