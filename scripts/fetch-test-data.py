#!/usr/bin/env python3
"""Fetch published test data that this repository does not redistribute.

pingouin's `cronbach_wide_missing.csv` (12 x 11 binary items with 4 missing answers; pingouin
0.7.0, GPL-3.0, from real-statistics.com) comes with the reliability example of pingouin's
documentation. It is read from the pingouin 0.7.0 wheel, fetched from PyPI by pip (which checks
the wheel's hash), checked against the hash below, and written to tests/data/external/pingouin/,
where tests/cli/stats.rs looks for it. Nothing is installed. Run from anywhere:

    python3 scripts/fetch-test-data.py
"""

import hashlib
import pathlib
import subprocess
import sys
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEST = ROOT / "tests" / "data" / "external" / "pingouin"
MEMBER = "pingouin/datasets/cronbach_wide_missing.csv"
# SHA-256 of the CSV inside the wheel (298 bytes, UTF-8 BOM).
CSV_SHA256 = "6300fb96a4c68f1217a84660a11398b213130bfe95f38e6869acd8f21c859fef"


def main() -> int:
    target = DEST / "cronbach_wide_missing.csv"
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == CSV_SHA256:
        print(f"{target.relative_to(ROOT)} is present")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             "--dest", tmp, "pingouin==0.7.0"],
            check=True,
        )
        wheel = next(pathlib.Path(tmp).glob("pingouin-0.7.0-*.whl"))
        csv = zipfile.ZipFile(wheel).read(MEMBER)
    if hashlib.sha256(csv).hexdigest() != CSV_SHA256:
        print(f"error: {MEMBER} is not the expected file", file=sys.stderr)
        return 1
    DEST.mkdir(parents=True, exist_ok=True)
    target.write_bytes(csv)
    print(f"wrote {target.relative_to(ROOT)} ({len(csv)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
