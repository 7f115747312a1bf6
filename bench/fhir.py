#!/usr/bin/env python3
"""`fhir score` on PHQ-9 QuestionnaireResponses as NDJSON (a Bulk Data export).

Writes N seeded responses shaped as US Core's PHQ-9 example (LOINC linkIds `/44250-9` …,
LOINC answer codings, the stated total `/44261-6`, subject, authored), one per line, then times
`screenscore fhir score -i phq9` writing the scores CSV and Observations (NDJSON), on one thread,
and reports responses per second and the peak resident memory (VmHWM).

    python3 bench/fhir.py                     # 1,000,000 responses
    python3 bench/fhir.py --rows 100000

Nothing here asserts a speed: the figures are for people to read.
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import build  # noqa: E402

ITEMS = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5",
         "44253-3", "44260-8"]
ANSWERS = [("LA6568-5", "Not at all"), ("LA6569-3", "Several days"),
           ("LA6570-1", "More than half the days"), ("LA6571-9", "Nearly every day")]


def write(rows: int, path: Path) -> None:
    rng = random.Random(20261203)
    with open(path, "w") as out:
        for n in range(rows):
            values = [rng.randrange(4) for _ in ITEMS]
            items = [{"linkId": f"/{code}", "answer": [{"valueCoding": {
                "system": "http://loinc.org", "code": ANSWERS[v][0], "display": ANSWERS[v][1]}}]}
                for code, v in zip(ITEMS, values)]
            items.append({"linkId": "/44261-6", "answer": [{"valueDecimal": sum(values)}]})
            response = {"resourceType": "QuestionnaireResponse", "id": f"qr-{n}",
                        "questionnaire": "http://hl7.org/fhir/us/core/Questionnaire/phq-9-example",
                        "status": "completed", "subject": {"reference": f"Patient/p{n // 3}"},
                        "authored": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T09:00:00Z",
                        "item": items}
            out.write(json.dumps(response, separators=(",", ":")) + "\n")


def timed(command: list) -> tuple:
    start = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        try:
            status = Path(f"/proc/{process.pid}/status").read_text()
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.02)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{command} exited {process.returncode}")
    return time.perf_counter() - start, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    screenscore = str(build() / "screenscore")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "responses.ndjson"
        write(args.rows, data)
        size = data.stat().st_size
        print(f"{args.rows:,} responses, {size / 2**20:.0f} MiB of NDJSON, one process:")
        for what, extra in [("scores CSV", ["--out-format", "csv"]),
                            ("Observations", ["--out-format", "ndjson"])]:
            seconds, peak = timed([screenscore, "fhir", "score", "-i", "phq9", str(data),
                                   *extra, "-o", str(tmp / "out")])
            print(f"  {what:13} {seconds:6.2f} s  {args.rows / seconds:>10,.0f} responses/s  "
                  f"peak {peak / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
