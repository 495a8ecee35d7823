#!/bin/sh
# Issue 17, settling SR²L's claims, step by step on the CPU backend (docs/results/2026-12-02-claims).
# Every step can be stopped and rerun: sweeps resume their runs and skip finished ones,
# evaluations skip policies already evaluated with the same attacks, and `keep` commits the
# finished runs (config, progress, newest checkpoint, eval results) and the unfinished ones at
# their newest checkpoint, so another machine can clone the repository and carry on (stop the
# sweeps first, e.g. with Ctrl-C, so no trainer writes while it commits). Run from the
# repository root after `npm ci`.
#   sh experiments/claims.sh [step ...]
# steps, in order: grid garage paper frontier wasserstein heldout ddpg eval strong report keep
# (default: all). `garage` needs TRPO-SR's ε and λ_s from `grid` (report: "Settings ranked
# over envs"), written into experiments/garage-benchmark-trpo.yaml first.
# A sweep's last population trains alone while the other cores wait; two lanes of one
# worker each keep both cores of a 2-core machine busy up to the very end:
#   WORKERS=1 sh experiments/claims.sh garage frontier & WORKERS=1 sh experiments/claims.sh wasserstein ddpg &
# (commits of the two lanes take turns: `keep` below holds a lock while it commits)
set -eu
SR2L="node dist/cli/main.js"
WORKERS="${WORKERS:-2}"
OUT="${OUT:-docs/results/2026-12-02-claims}"
# every TRPO policy: the paper's 10 stochastic rollouts per attack and ε, random and mad
# (the frontier's axes: clean, and mad at 0.05 and 0.1)
EVAL="--attack random,mad --eps 0,0.05,0.1 --episodes 10 --stochastic"
# the paper grid's policies and the frontier's best settings also face the stronger attacks
# (Robust Sarsa, and an adversary policy trained against the victim: docs/robustness.md)
STRONG="--attack random,mad,sarsa,optimal --eps 0,0.05,0.1 --episodes 10 --stochastic"
# DDPG acts deterministically; the critic attack needs its critic. The issue asks random,
# MAD and critic of every DDPG policy; the stronger two cost about 3× those three together
# (Swimmer: ≈ 16 s and 45 s against 26 s), so they come later, in `strong`
EVAL_DDPG="--attack random,mad,critic --eps 0,0.05,0.1 --episodes 10"
STRONG_DDPG="--attack random,mad,critic,sarsa,optimal --eps 0,0.05,0.1 --episodes 10"
SWEEPS="grid-search-garage-trpo garage-benchmark-trpo paper-trpo frontier-trpo-sr frontier-wasserstein heldout-hopper heldout-hopper-raw paper-ddpg"

# commits one sweep's runs, one lane at a time (flock: git refuses two commits at once)
keep() {
  kept=$1
  shift
  flock "${TMPDIR:-/tmp}/sr2l-claims-keep.lock" $SR2L sweep keep "runs/$kept" "$@" --commit
}
# START_WITHIN (e.g. 2h): no trainer starts later than that after the sweep's own start, so
# on a machine lent until a known time nothing is started that cannot finish; longest first
# (by the sweep's finished runs), so what is left over for the next start is short
sweep() {
  name=$1
  shift
  $SR2L sweep "experiments/$name.yaml" --workers "$WORKERS" --order longest-first \
    ${START_WITHIN:+--start-within "$START_WITHIN"} "$@"
  keep "$name"
}
step_grid() { sweep grid-search-garage-trpo; }
step_garage() { sweep garage-benchmark-trpo; }
# rerun on the code with the line search's KL fixed (σ's change counted; the 2026-11-25 runs
# had it missing), and now keeping checkpoints, which the stronger attacks need
step_paper() { sweep paper-trpo; }
step_frontier() { sweep frontier-trpo-sr; }
step_wasserstein() { sweep frontier-wasserstein; }
# the frontier's two Hopper picks and TRPO again on seeds 10–19, which chose nothing (a
# pick's gap on seeds 0–9 is optimistic: it was chosen on them); evaluated in `strong`
step_heldout() {
  sweep heldout-hopper
  sweep heldout-hopper-raw
}
# DDPG seeds train in pairs: an unfinished DDPG run cannot move machines (its replay buffer,
# ~85 MB per HalfCheetah seed at 500k steps, stays out of git), so its units must finish
# within a machine's time; the numbers are the same in any grouping, and on the CPU a
# 10-seed population gains nothing over single runs (docs/population.md)
step_ddpg() { sweep paper-ddpg --max-population "${DDPG_POPULATION:-2}"; }

# evaluates the finished, not yet evaluated runs below $1 with the flags $2 ($3: the attack
# whose presence in robustness.json marks a run done), $WORKERS at a time
evaluate() {
  for done in $(find "$1" -name sweep-done.json 2>/dev/null | sort); do
    run=$(dirname "$done")
    grep -q "\"attack\": *\"$3\"" "$run/eval/robustness.json" 2>/dev/null || echo "$run"
  done | xargs -r -P "$WORKERS" -n 1 $SR2L eval $2 >/dev/null
}
step_eval() {
  for s in garage-benchmark-trpo frontier-trpo-sr frontier-wasserstein; do evaluate "runs/$s" "$EVAL" mad; done
  evaluate runs/paper-ddpg "$EVAL_DDPG" critic
}
# the paper grid's TRPO and TRPO-SR policies (frontier envs first), the frontier's best
# settings once its report names them (frontier-mad/frontier.md, "Best setting by its
# weakest axis"), Hopper's two picks on held-out seeds, then the DDPG grid's policies.
# The settings chosen on 2026-12-03:
#   F=runs/frontier-trpo-sr; FRONTIER_BEST="$F/Hopper-v2/trpo-sr/eps=0.02,lambdaS=1,epsScale=obs-std
#   $F/Hopper-v2/trpo-sr/eps=0.003,lambdaS=0.1,epsScale=raw $F/HalfCheetah-v2/trpo-sr/eps=0.003,lambdaS=0.1,epsScale=raw
#   $F/Walker2d-v2/trpo-sr/eps=0.01,lambdaS=0.1,epsScale=obs-std" sh experiments/claims.sh strong
step_strong() {
  for env in Hopper-v2 HalfCheetah-v2 Walker2d-v2 Swimmer-v2 Ant-v2; do
    evaluate "runs/paper-trpo/$env" "$STRONG" optimal
  done
  for dir in ${FRONTIER_BEST:-}; do evaluate "$dir" "$STRONG" optimal; done
  for s in heldout-hopper heldout-hopper-raw; do evaluate "runs/$s" "$STRONG" optimal; done
  evaluate runs/paper-ddpg "$STRONG_DDPG" optimal
}
step_report() {
  commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  for s in $SWEEPS; do
    [ -f "runs/$s/sweep.json" ] || continue
    $SR2L report "runs/$s" --out "$OUT/$s" --final-window 10 \
      --note "report written at commit $commit; each run's config.json holds its settings" \
      --note "commands: experiments/claims.sh (eval: $EVAL; paper grid: $STRONG; DDPG: $EVAL_DDPG, some also $STRONG_DDPG)"
  done
  # Ant-v2's episode lengths vary tenfold: the same runs with each final window's episodes pooled
  [ ! -f runs/paper-trpo/sweep.json ] || $SR2L report runs/paper-trpo --out "$OUT/paper-trpo-by-episode" \
    --final-window 10 --final-weight episodes \
    --note "report written at commit $commit; the same runs as ../paper-trpo/report.md, final return weighed by episodes instead of iterations"
  # every sweep's claims in one table, the paper's settings first
  claimed=""
  for s in paper-trpo garage-benchmark-trpo heldout-hopper paper-ddpg; do
    [ -f "runs/$s/sweep.json" ] && claimed="$claimed runs/$s"
  done
  # shellcheck disable=SC2086 # one folder per word
  [ -z "$claimed" ] || $SR2L report claims $claimed --out "$OUT/claims.md" --final-window 10 \
    --note "report written at commit $commit"
  frontiers "$OUT/frontier" Hopper-v2,HalfCheetah-v2,Walker2d-v2 \
    runs/frontier-trpo-sr runs/frontier-wasserstein runs/paper-trpo
  # the picks on held-out seeds against TRPO on the same seeds
  frontiers "$OUT/heldout-hopper/frontier" Hopper-v2 runs/heldout-hopper runs/heldout-hopper-raw
}
# the frontier of sweeps $3... in envs $2 against TRPO under each attack, into $1-<attack>
frontiers() {
  out=$1 envs=$2
  shift 2
  for attack in mad sarsa optimal; do
    $SR2L report frontier "$@" --attack "$attack" --eps-attack 0.05,0.1 --reference trpo \
      --out "$out-$attack" --envs "$envs" --note "report written at commit $commit" || true
  done
}
step_keep() {
  for s in $SWEEPS; do
    if [ -f "runs/$s/sweep.json" ]; then keep "$s" --unfinished; fi
  done
}

steps="${*:-grid garage paper frontier wasserstein heldout ddpg eval strong report keep}"
for s in $steps; do
  echo "== $s"
  "step_$s"
done
