"""Import speed and memory: a 50,000-row LinkedIn Connections.csv and a 20,000-message X archive.

Each import runs in its own process (fresh COACH_HOME, so peak memory is that import's alone) and
is compared in the same run with the bare parse of the same file (csv / json), so the ratio holds
on a noisy machine. Usage: uv run python benchmarks/imports.py [--rows N] [--messages N]
Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST = ["Dana", "Lars", "Priya", "Tom", "Ada", "Ben", "Chen", "Fatima", "Jürgen", "Mei", "Olu",
         "Sara", "Kenji", "Luca", "Noor", "Ines", "Ravi", "Zoe", "Amir", "Elena"]
LAST = ["Reyes", "Eriksen", "Natarajan", "Okafor", "Byrne", "Castillo", "Wang", "Haddad",
        "Müller", "Lin", "Adeyemi", "Cohen", "Sato", "Rossi", "Khan", "Silva", "Rao", "Smith"]
COMPANIES = ["Acme Robotics", "Ferry Works", "Natarajan, Lee & Co", "Blue Owl", "Kite Labs"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def make_connections(path: Path, rows: int, rng: random.Random) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        fh.write('Notes:\n"When exporting your connection data, you may notice that some of the '
                 'email addresses are missing."\n\n')
        w = csv.writer(fh)
        w.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
                    "Connected On"])
        for n in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first.lower()}.{n}@example.com" if n % 10 == 0 else ""
            w.writerow([first, last, f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}"
                        f"-{n:06x}", email, rng.choice(COMPANIES), "Engineer",
                        f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {rng.randint(2010, 2026)}"])


def make_messages(path: Path, messages: int, people: int, rng: random.Random) -> None:
    """Messages with the first `people` connections of make_connections (same slugs)."""
    rng2 = random.Random(7)  # replay make_connections' name choices to rebuild its slugs
    slugs = []
    for n in range(people):
        first, last = rng2.choice(FIRST), rng2.choice(LAST)
        rng2.choice(COMPANIES), rng2.randint(1, 28), rng2.choice(MONTHS), rng2.randint(2010, 2026)
        slugs.append((f"{first} {last}", f"https://www.linkedin.com/in/{first.lower()}-"
                      f"{last.lower()}-{n:06x}"))
    me = ("Sam Owner", "https://www.linkedin.com/in/sam-owner")
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
                    "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER"])
        for n in range(messages):
            other = slugs[n % people]
            a, b = (me, other) if n % 2 else (other, me)
            w.writerow([f"conv-{n % people}", "", a[0], a[1], b[0], b[1],
                        f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00 UTC", "",
                        rng.choice(["Thanks!", "Coffee next week?", "Great to connect."]),
                        "INBOX"])


def make_x_archive(folder: Path, messages: int, rng: random.Random) -> None:
    data = folder / "data"
    data.mkdir(parents=True)
    owner = "1000"
    (data / "account.js").write_text(
        'window.YTD.account.part0 = ' + json.dumps([{"account": {
            "accountId": owner, "username": "owner", "accountDisplayName": "Owner"}}]),
        encoding="utf-8")
    convs = []
    per_conv = 10
    for c in range(messages // per_conv):
        other = str(200000 + c)
        msgs = []
        for m in range(per_conv):
            mine = m % 2 == 1
            msgs.append({"messageCreate": {
                "recipientId": other if mine else owner, "senderId": owner if mine else other,
                "id": str(c * per_conv + m), "reactions": [], "urls": [], "mediaUrls": [],
                "text": rng.choice(["Thanks for the reply!", "Are you coming on Thursday?",
                                    "Loved the talk, the slides were great.", "Sure, sounds good"]),
                "createdAt": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
                             f"{rng.randint(0, 23):02d}:{m:02d}:00.000Z"}})
        convs.append({"dmConversation": {"conversationId": f"{owner}-{other}",
                                         "messages": msgs}})
    (data / "direct-messages.js").write_text(
        "window.YTD.direct_messages.part0 = " + json.dumps(convs, indent=2), encoding="utf-8")


def child(kind: str, path: str) -> None:
    """One measured import (or bare parse) in a fresh process; prints its JSON figures."""
    # Load the code first: the figures are for importing, not for starting Python.
    from coach.imports import apply_plan, plan_import
    from coach.store import open_store

    t0 = time.perf_counter()
    c0 = time.process_time()
    out: dict[str, object] = {}
    if kind == "import" or kind == "reimport":
        with open_store() as store:
            plan = plan_import(store, path)
            t_plan = time.perf_counter()
            plan_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            apply_plan(store, plan)
        out = {"added": len(plan.new), "merged": len(plan.merged),
               "unchanged": plan.unchanged, "interactions": plan.interactions,
               "plan_s": t_plan - t0, "plan_peak_mb": plan_peak}
    elif kind == "csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
        rows = list(csv.reader(io.StringIO(text)))
        out = {"rows": len(rows)}
    elif kind == "json":
        text = (Path(path) / "data" / "direct-messages.js").read_text(encoding="utf-8")
        convs = json.loads(text.split("=", 1)[1])
        out = {"messages": sum(len(c["dmConversation"]["messages"]) for c in convs)}
    out["seconds"] = time.perf_counter() - t0
    # CPU time too: on a shared, busy machine it says more than the wall clock.
    out["cpu_s"] = time.process_time() - c0
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def measure(kind: str, path: Path, home: Path) -> dict[str, float]:
    env = {**os.environ, "COACH_HOME": str(home)}
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} {path} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=50_000)
    p.add_argument("--messages", type=int, default=20_000)
    p.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(*args.child)
        return
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        conn = root / "Connections.csv"
        make_connections(conn, args.rows, rng)
        xdir = root / "x-archive"
        make_x_archive(xdir, args.messages, rng)
        print(f"generated {args.rows} connections ({conn.stat().st_size / 1e6:.1f} MB) and "
              f"{args.messages} X messages")

        li = measure("import", conn, root / "home-li")
        li_again = measure("reimport", conn, root / "home-li")
        li_csv = measure("csv", conn, root / "home-csv")
        msgs = root / "messages.csv"
        make_messages(msgs, args.messages, 5000, rng)
        li_msgs = measure("import", msgs, root / "home-li")  # merges into stored connections
        print(f"LinkedIn messages into the stored connections: {li_msgs['seconds']:.2f} s "
              f"({li_msgs['merged']} contacts merged, {li_msgs['interactions']} interactions)")
        print(f"LinkedIn: {args.rows / li['seconds']:,.0f} rows/s ({li['seconds']:.2f} s, plan "
              f"{li['plan_s']:.2f} s, peak {li['peak_mb']:.0f} MB); re-import "
              f"{li_again['seconds']:.2f} s (added {li_again['added']}, merged "
              f"{li_again['merged']}); bare csv parse {li_csv['seconds']:.2f} s")

        x = measure("import", xdir, root / "home-x")
        x_again = measure("reimport", xdir, root / "home-x")
        x_json = measure("json", xdir, root / "home-json")
        print(f"X: {args.messages / x['seconds']:,.0f} messages/s ({x['seconds']:.2f} s, "
              f"{x['added']} contacts, {x['interactions']} interactions, peak "
              f"{x['peak_mb']:.0f} MB); re-import {x_again['seconds']:.2f} s; bare json parse "
              f"{x_json['seconds']:.2f} s")
    figures = {
        "linkedin_rows": args.rows,
        "linkedin_rows_per_s": round(args.rows / li["seconds"]),
        "linkedin_s": round(li["seconds"], 3),
        "linkedin_cpu_s": round(li["cpu_s"], 3),
        "linkedin_rows_per_cpu_s": round(args.rows / li["cpu_s"]),
        "linkedin_reimport_s": round(li_again["seconds"], 3),
        "linkedin_reimport_changes": int(li_again["added"] + li_again["merged"]),
        "linkedin_csv_parse_s": round(li_csv["seconds"], 3),
        "linkedin_vs_csv_ratio": round(li["cpu_s"] / li_csv["cpu_s"], 1),
        "linkedin_messages_merge_s": round(li_msgs["seconds"], 3),
        "linkedin_messages_merged_contacts": int(li_msgs["merged"]),
        "x_messages": args.messages,
        "x_messages_per_s": round(args.messages / x["seconds"]),
        "x_s": round(x["seconds"], 3),
        "x_cpu_s": round(x["cpu_s"], 3),
        "x_messages_per_cpu_s": round(args.messages / x["cpu_s"]),
        "x_reimport_s": round(x_again["seconds"], 3),
        "x_json_parse_s": round(x_json["seconds"], 3),
        "x_vs_json_ratio": round(x["cpu_s"] / x_json["cpu_s"], 1),
        "peak_mb": round(max(li["peak_mb"], x["peak_mb"], li_again["peak_mb"],
                             x_again["peak_mb"]), 1),
        "linkedin_peak_mb": round(li["peak_mb"], 1),
        # Peak before the store write: what reading, merging and validating alone cost.
        "linkedin_plan_peak_mb": round(li["plan_peak_mb"], 1),
        "linkedin_plan_s": round(li["plan_s"], 3),
        "x_peak_mb": round(x["peak_mb"], 1),
        "x_plan_peak_mb": round(x["plan_peak_mb"], 1),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
