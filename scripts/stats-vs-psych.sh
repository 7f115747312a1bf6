#!/usr/bin/env bash
# Time and peak memory of `screenscore stats` next to R psych (alpha and scoreItems) on the same
# generated file: ROWS rows (default 1,000,000) of 25 items answered 0-4, five scales of five
# items with one reverse-keyed item each, 2% of answers missing.
#
#     scripts/stats-vs-psych.sh [ROWS]
#
# Needs python3, GNU time (/usr/bin/time) and, for the comparison, Rscript with psych.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT

python3 - "$dir" "$rows" <<'PY'
import json, random, sys
out, rows = sys.argv[1], int(sys.argv[2])
scales = [[f"s{s}i{i}" for i in range(1, 6)] for s in range(1, 6)]
items = [i for s in scales for i in s]
policy = {"ref": "benchmark", "evidence": "policy"}
definition = {
    "id": "bench", "name": "stats benchmark", "measures": "nothing: generated answers",
    "version": "1", "status": "validated", "citation": "scripts/stats-vs-psych.sh",
    "license": {"name": "test", "terms": "test", "commercial_use": "allowed", "source": policy},
    "response_sets": [{"id": "r", "options": [{"value": v, "label": str(v)} for v in range(5)]}],
    "items": [{"id": i, "label": i, "response_set": "r"} for i in items],
    "scales": [{"id": f"s{n}", "label": f"s{n}", "items": s, "reverse": [s[4]], "key_source": policy,
                "method": "sum", "missing": {"max_missing": 1, "prorate": True, "source": policy},
                "higher_is": "worse"} for n, s in enumerate(scales, 1)],
}
json.dump(definition, open(f"{out}/bench.json", "w"))
rng = random.Random(20261121)
with open(f"{out}/bench.csv", "w") as f:
    f.write(",".join(f"bench_{i}" for i in items) + "\n")
    for _ in range(rows):
        cells = []
        for s in range(5):
            t = rng.gauss(0, 1)
            for i in range(5):
                if rng.random() < 0.02:
                    cells.append("")
                    continue
                v = min(4, max(0, round(2 + t + rng.gauss(0, 1))))
                cells.append(str(4 - v if i == 4 else v))
        f.write(",".join(cells) + "\n")
PY
echo "file: $rows rows x 25 items, $(du -h "$dir/bench.csv" | cut -f1)"

cargo build --release --quiet
measure() {
  /usr/bin/time -f "%e s, peak %M KB" "$@" 2>&1 >/dev/null | tail -1
}
echo "screenscore stats (pairwise): $(measure target/release/screenscore stats -i "$dir/bench.json" "$dir/bench.csv" --format csv)"
echo "screenscore stats (listwise): $(measure target/release/screenscore stats -i "$dir/bench.json" "$dir/bench.csv" --format csv --deletion listwise)"

if command -v Rscript >/dev/null 2>&1; then
  cat >"$dir/psych.R" <<'R'
suppressPackageStartupMessages(library(psych))
args <- commandArgs(TRUE)
read <- system.time(x <- read.csv(args[1], colClasses = "numeric"))[["elapsed"]]
names(x) <- sub("^bench_", "", names(x))
keys <- lapply(1:5, function(s) c(paste0("s", s, "i", 1:4), paste0("-s", s, "i5")))
names(keys) <- paste0("s", 1:5)
if (args[2] == "scoreItems") {
  run <- system.time(r <- scoreItems(keys, x, impute = "none"))[["elapsed"]]
} else {
  run <- system.time(for (s in 1:5) {
    a <- alpha(x[, paste0("s", s, "i", 1:5)], keys = paste0("s", s, "i5"), warnings = FALSE)
  })[["elapsed"]]
}
message(sprintf("read.csv %.1f s, %s %.1f s", read, args[2], run))
R
  for f in scoreItems alpha; do
    echo "R psych $f: $(/usr/bin/time -f "%e s, peak %M KB" Rscript "$dir/psych.R" "$dir/bench.csv" $f 2>&1 | tr '\n' ' ')"
  done
fi
