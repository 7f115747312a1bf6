#!/usr/bin/env python3
"""`score --redcap` against the same rows as a plain intake file.

Writes a seeded REDCap export of a longitudinal PHQ-9 project (record id, event, repeat
columns, the form's survey timestamp, nine items and the difficulty question coded 0-3,
REDCap's calculated total, `phq9_form_complete`; one row in five of another form, with the
PHQ-9 empty; 2% of item cells empty), the project's data dictionary and the column map
`redcap map` derives, and the same rows as a plain intake file (item columns named phq9_1 ...
phq9_10, REDCap's total as an ordinary column). Then times

- `screenscore score -i phq9 plain.csv`, and
- `screenscore score --redcap DICT.csv -i phq9 --map MAP export.csv` (answers read through the
  dictionary, the completion status and timestamp read, REDCap's total compared),

each writing its output to a file, on one thread, the median of the runs.

    python3 bench/redcap.py                  # 1,000,000 rows
    python3 bench/redcap.py --rows 100000 --repeat 1

Nothing here asserts a speed: the figures are for people to read.
"""

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import build  # noqa: E402  (the release build of bench/run.py)

HEADER = (
    '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label",'
    '"Choices, Calculations, OR Slider Labels","Field Note",'
    '"Text Validation Type OR Show Slider Number","Text Validation Min",'
    '"Text Validation Max",Identifier?,"Branching Logic (Show field only if...)",'
    '"Required Field?","Custom Alignment","Question Number (surveys only)",'
    '"Matrix Group Name","Matrix Ranking?","Field Annotation"'
)
FREQUENCY = "0, Not at all | 1, Several days | 2, More than half the days | 3, Nearly every day"
DIFFICULTY = ("0, Not difficult at all | 1, Somewhat difficult | 2, Very difficult | "
              "3, Extremely difficult")


def dictionary() -> str:
    lines = [HEADER, 'record_id,intake,,text,"Record ID",,,,,,,,,,,,,']
    for q in range(1, 10):
        lines.append(f'phq9_q{q},phq9_form,,radio,"Item {q}","{FREQUENCY}",,,,,,,,,,,,')
    lines.append(f'phq9_difficulty,phq9_form,,radio,"Difficulty","{DIFFICULTY}",,,,,,,,,,,,')
    items = ",".join(f"[phq9_q{q}]" for q in range(1, 10))
    lines.append(f'phq9_total,phq9_form,,calc,"Total","sum({items})",,,,,,,,,,,,')
    return "\n".join(lines) + "\n"


def write_files(rows: int, export: Path, plain: Path) -> None:
    rng = random.Random(20261203)
    items = [f"phq9_q{q}" for q in range(1, 10)] + ["phq9_difficulty"]
    tail = ["phq9_total", "phq9_form_complete"]
    head = ["record_id", "redcap_event_name", "redcap_repeat_instrument",
            "redcap_repeat_instance", "phq9_form_timestamp"]
    plain_items = [f"phq9_{q}" for q in range(1, 11)]
    with open(export, "w") as e, open(plain, "w") as p:
        e.write(",".join(head + items + tail) + "\n")
        p.write(",".join(head + plain_items + ["redcap_total", "phq9_form_complete"]) + "\n")
        for n in range(rows):
            record = 1000 + n // 4
            event = ("baseline_arm_1", "week_4_arm_1", "week_8_arm_1", "week_12_arm_1")[n % 4]
            if rng.random() < 0.2:
                cells = [str(record), event, "", "", ""] + [""] * 10 + ["", "0"]
            else:
                answers = ["" if rng.random() < 0.02 else str(rng.randrange(4))
                           for _ in range(10)]
                total = sum(int(a) for a in answers[:9] if a)
                stamp = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d} 09:{n % 60:02d}:00"
                cells = [str(record), event, "", "", stamp] + answers + [str(total), "2"]
            line = ",".join(cells) + "\n"
            e.write(line)
            p.write(line)


def median_seconds(command: list, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    screenscore = str(build() / "screenscore")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        export, plain = tmp / "export.csv", tmp / "plain.csv"
        (tmp / "dict.csv").write_text(dictionary())
        write_files(args.rows, export, plain)
        subprocess.run([screenscore, "redcap", "map", str(tmp / "dict.csv"), "--form",
                        "phq9_form", "--to", "phq9", "-o", str(tmp / "map.csv")],
                       check=True, stderr=subprocess.DEVNULL)
        common = ["--threads", "1", "-i", "phq9"]
        plain_run = [screenscore, "score", *common, str(plain), "-o", str(tmp / "a.csv")]
        redcap_run = [screenscore, "score", *common, "--redcap", str(tmp / "dict.csv"),
                      "--map", str(tmp / "map.csv"), str(export), "-o", str(tmp / "b.csv")]
        a = median_seconds(plain_run, args.repeat)
        b = median_seconds(redcap_run, args.repeat)
        print(f"{args.rows:,} rows, one thread, median of {args.repeat}:")
        print(f"  plain intake file   {a:.3f} s  ({args.rows / a:,.0f} rows/s)")
        print(f"  --redcap export     {b:.3f} s  ({args.rows / b:,.0f} rows/s)")
        print(f"  ratio               {b / a:.2f}")


if __name__ == "__main__":
    main()
