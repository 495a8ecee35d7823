#!/bin/sh
# The reproduction of docs/results/2026-11-25-reproduction, step by step, on the CPU backend.
# Every step can be stopped and rerun: sweeps resume their runs (a killed run loses at most
# the iteration in progress) and skip finished ones; evaluations are seeded, so a rerun
# rewrites the same numbers. Run from the repository root after `npm ci`.
#   sh experiments/reproduce.sh [step ...]   steps: grid trpo ablation ddpg eval report (default: all)
set -eu
SR2L="node dist/cli/main.js"
WORKERS="${WORKERS:-2}"
OUT="${OUT:-docs/results/2026-11-25-reproduction}"
# Figure 4: random and adversarial (mad) observation perturbations, the paper's 10
# stochastic rollouts per policy (DDPG's policies are deterministic), six values of ε;
# DDPG's policies also face the critic attack (δ minimizing Q(s, μ(s + δ))).
EPS="--eps 0,0.02,0.05,0.1,0.2,0.3 --episodes 10"
EVAL="--attack random,mad $EPS"
EVAL_DDPG="--attack random,mad,critic $EPS"
ROBUST_ENVS="Swimmer-v2 HalfCheetah-v2 Hopper-v2"

step_grid() { $SR2L sweep experiments/grid-search-trpo.yaml --workers "$WORKERS"; }
step_trpo() { $SR2L sweep experiments/paper-trpo.yaml --workers "$WORKERS"; }
# TRPO-SR with ε 0.05 against the same TRPO runs: their settings and seeds equal paper-trpo's,
# so the finished folders are copied in (without checkpoints) instead of trained again
step_ablation() {
  for env in $ROBUST_ENVS; do
    for seed in 0 1 2 3 4; do
      src="runs/paper-trpo/$env/trpo/default/seed-$seed"
      dst="runs/ablation-trpo-sr-eps/$env/trpo/default/seed-$seed"
      [ -f "$src/sweep-done.json" ] && [ ! -f "$dst/sweep-done.json" ] || continue
      mkdir -p "$dst"
      cp -r "$src/config.json" "$src/progress.csv" "$src/sweep-done.json" "$dst/"
      [ -d "$src/eval" ] && cp -r "$src/eval" "$dst/"
    done
  done
  $SR2L sweep experiments/ablation-trpo-sr-eps.yaml --workers "$WORKERS"
}
# the minimum of the DDPG grid first (HalfCheetah and Hopper, 5 seeds); rerun without
# the filters for the whole of paper-ddpg.yaml
step_ddpg() {
  $SR2L sweep experiments/paper-ddpg.yaml --workers "$WORKERS" \
    --envs HalfCheetah-v2,Hopper-v2 --seeds 0,1,2,3,4
}
# every finished policy of the robustness envs, $WORKERS evaluations at a time
step_eval() {
  for env in $ROBUST_ENVS; do
    ls -d runs/paper-trpo/"$env"/*/default/seed-*/sweep-done.json \
      runs/ablation-trpo-sr-eps/"$env"/trpo-sr/default/seed-*/sweep-done.json 2>/dev/null |
      xargs -r -n 1 dirname | xargs -r -P "$WORKERS" -n 1 $SR2L eval $EVAL --stochastic >/dev/null
    ls -d runs/paper-ddpg/"$env"/*/default/seed-*/sweep-done.json 2>/dev/null | xargs -r -n 1 dirname |
      xargs -r -P "$WORKERS" -n 1 $SR2L eval $EVAL_DDPG >/dev/null
  done
}
step_report() {
  commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  for sweep in grid-search-trpo paper-trpo ablation-trpo-sr-eps paper-ddpg; do
    [ -f "runs/$sweep/sweep.json" ] || continue
    $SR2L report "runs/$sweep" --out "$OUT/$sweep" --final-window 10 \
      --note "report written at commit $commit; training commits are in each run's config.json (package) and in $OUT/README.md" \
      --note "commands: experiments/reproduce.sh (sweep; eval: $EVAL, --stochastic for TRPO, critic added for DDPG)"
  done
}

steps="${*:-grid trpo ablation ddpg eval report}"
for s in $steps; do
  echo "== $s"
  "step_$s"
done
