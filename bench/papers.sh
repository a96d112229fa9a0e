#!/usr/bin/env bash
# Reproduces the papers of docs/papers.md (issue #5) and writes docs/results/*.md and *.png:
#   identity  Trask et al. 2018, Fig. 1 (the identity failure)
#   trask     Trask et al. 2018, Table 1 (static task, normalised error)
#   madsen    Madsen & Johansen 2020 (success rates on the arithmetic task)
#   primer    Mistry et al. 2022 (nine ranges × four ops)
#   recurrent, number-words, counting   the sequence tasks (docs/sequence.md): their benchmark mains' tables,
#             written to docs/results/<protocol>-run.md beside the curated pages
#
# Usage (from anywhere; builds the jar when it is missing):
#     bench/papers.sh [--full] [--only identity,trask,madsen,primer,recurrent,number-words,counting]
#                     [--out docs/results] [--workers 2] [--steps N] [--seeds N] [--rows N]
# The default budgets of the four static protocols finish within an hour on 2 cores, the three sequence
# protocols (one thread) take longer; --full uses the papers' budgets (days);
# --steps, --seeds and --rows (validation and test rows) cap every budget (a quick trial; the tables say so). Each run trains on one
# ND4J thread (OMP_NUM_THREADS=1), --workers runs side by side (default 2, one per core).
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-target/nalu-service-0.1.0-SNAPSHOT.jar}
if [ ! -f "$JAR" ]; then
    ./mvnw -B -q -DskipTests package
fi
COMMIT=$(git rev-parse --short HEAD 2> /dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no -- src pom.xml 2> /dev/null)" ]; then
    COMMIT="$COMMIT (with uncommitted changes)"
fi
exec env OMP_NUM_THREADS=1 java -Xss4m -Djava.awt.headless=true \
    -Dorg.bytedeco.javacpp.cachedir="$HOME/.javacpp/cache" \
    -Dnalu.bench.commit="$COMMIT" -Dnalu.bench.command="bench/papers.sh${*:+ $*}" \
    -cp "$JAR" -Dloader.main=dev.nalu.bench.PaperBenchmarks \
    org.springframework.boot.loader.launch.PropertiesLauncher "$@"
