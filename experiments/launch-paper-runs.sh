#!/bin/sh
# Background paper runs (resumable): sh runs/launch.sh; each writes runs/<name>/ and runs/<name>.log
cd "$(dirname "$0")/.."
node bin/jartcal.js crossbar run experiments/paper-noise-free.json --out runs/paper-noise-free --resume > runs/paper-noise-free.log 2>&1 &
( node bin/jartcal.js crossbar run experiments/paper-fp.json --out runs/paper-fp > runs/paper-fp.log 2>&1
  node bin/jartcal.js crossbar run experiments/paper-c2c-rdisc-30-additive.json --out runs/paper-c2c-rdisc-30-additive --epochs 3 --resume > runs/paper-c2c-rdisc-30-additive.log 2>&1
  node bin/jartcal.js crossbar run experiments/paper-d2d-rdisc-30.json --out runs/paper-d2d-rdisc-30 --epochs 3 --resume > runs/paper-d2d-rdisc-30.log 2>&1
  node bin/jartcal.js crossbar run experiments/paper-realistic-mixed.json --out runs/paper-realistic-mixed --epochs 3 --resume > runs/paper-realistic-mixed.log 2>&1 ) &
