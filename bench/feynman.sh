#!/usr/bin/env bash
# The Feynman benchmark of "model": "search" (issue #14, docs/results/feynman.md): the 36 equations of series I of
# the AI Feynman database (src/main/resources/feynman/series-I.csv), one search each with the job's search defaults;
# prints a markdown row per equation (exact recovery beyond the training ranges, wall time, member-steps) and a
# summary by class.
#
# Usage (from anywhere; builds the jar when it is missing):
#     bench/feynman.sh [--only I.12.1,I.14.3] [--steps N] [--population K] [--seed S]
# One search trains on one ND4J thread (OMP_NUM_THREADS=1); the 36 take about an hour on one core of a quiet machine.
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-target/nalu-service-0.1.0-SNAPSHOT.jar}
if [ ! -f "$JAR" ]; then
    ./mvnw -B -q -DskipTests package
fi
exec env OMP_NUM_THREADS=1 java -Djava.awt.headless=true \
    -Dorg.bytedeco.javacpp.cachedir="$HOME/.javacpp/cache" \
    -cp "$JAR" -Dloader.main=dev.nalu.bench.FeynmanSearchBenchmark \
    org.springframework.boot.loader.launch.PropertiesLauncher "$@"
