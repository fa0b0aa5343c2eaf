#!/bin/sh
# The paper's five headline runs (30 epochs each, resumable): run from the repository root after
# `npm run build`; two lanes (one per core). Re-run the same script after a kill: --resume continues.
# Each run writes runs/<name>/ (results.json, accuracy.csv, accuracy.svg, checkpoint.json) and runs/<name>.log.
mkdir -p runs
run() { node bin/jartcal.js crossbar run "experiments/$1.json" --out "runs/$1" --resume > "runs/$1.log" 2>&1; }
( run paper-noise-free; run paper-d2d-rdisc-30; run paper-realistic-mixed ) &
( run paper-fp; run paper-c2c-rdisc-30-additive; run jart-noise-free ) &
wait
