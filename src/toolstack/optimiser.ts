/**
 * The plan optimiser: pick one option per shot so the sum of the shots' values is as high as possible
 * while the total cost stays within the budget and the total time within the time limit. That is a
 * multiple-choice knapsack; it is solved exactly, not greedily shot by shot:
 *
 * 1. Costs are integer cents. Each shot's costs are shifted by its cheapest option (the budget by the
 *    sum of those), so the DP grid only spans the money there is to choose with.
 * 2. Per shot, options that cost more for no more value are dropped (Pareto front on cost/value).
 * 3. DP over the budget: best[b] = highest value with spend ≤ b, one shot at a time, remembering each
 *    shot's choice per cell for the backtrack. O(shots × front size × cells). The grid has at most
 *    MAX_CELLS cells; a larger budget is bucketed with costs rounded up, which can only under-spend
 *    (the answer always fits, and `exact` says whether bucketing happened). With cents up to
 *    MAX_CELLS the answer is the true optimum.
 * 4. Time as a second constraint: Lagrangian relaxation. Solve for value − λ·time with the same DP;
 *    λ = 0 is the unconstrained optimum and is exact when its time fits. Otherwise λ is raised until
 *    the time fits and bisected down to the smallest such λ; that plan fits both limits and is optimal
 *    for its λ (it may sit within the relaxation's duality gap of the true optimum: `exact` = false).
 *    Small problems (up to EXHAUSTIVE_LIMIT combinations after Pareto pruning) are searched
 *    exhaustively instead, with branch-and-bound, so they get the true optimum.
 * 5. No plan fits: the answer is the cheapest (or, if only time is short, the fastest) plan, with the
 *    shortfall — how far over the budget and the time limit the least demanding plan still is.
 */

export interface KnapsackOption {
  /** Non-negative integer cents. */
  costCents: number;
  /** Non-negative seconds. */
  timeS: number;
  value: number;
}

export interface KnapsackProblem {
  /** For each shot, its options (at least one). */
  shots: KnapsackOption[][];
  budgetCents?: number | null;
  maxTimeS?: number | null;
}

export interface KnapsackSolution {
  feasible: boolean;
  /** Index of the chosen option per shot. */
  choice: number[];
  value: number;
  costCents: number;
  timeS: number;
  /** False when bucketing or the Lagrangian step may have left value on the table. */
  exact: boolean;
  /** When infeasible: how far the least demanding plan still exceeds each limit (0 = within it). */
  shortfall: { costCents: number; timeS: number } | null;
}

export const MAX_CELLS = 20_000;

function totals(problem: KnapsackProblem, choice: number[]) {
  let value = 0;
  let costCents = 0;
  let timeS = 0;
  problem.shots.forEach((options, i) => {
    const o = options[choice[i] as number] as KnapsackOption;
    value += o.value;
    costCents += o.costCents;
    timeS += o.timeS;
  });
  return { value, costCents, timeS };
}

/** Per shot, the index of the option that is best by `better` (a strict "a beats b"). */
function pickEach(
  problem: KnapsackProblem,
  better: (a: KnapsackOption, b: KnapsackOption) => boolean,
): number[] {
  return problem.shots.map((options) => {
    let best = 0;
    options.forEach((o, j) => {
      if (better(o, options[best] as KnapsackOption)) best = j;
    });
    return best;
  });
}

const byValueThenCost = (a: KnapsackOption, b: KnapsackOption) =>
  a.value > b.value ||
  (a.value === b.value && (a.costCents < b.costCents || (a.costCents === b.costCents && a.timeS < b.timeS)));
const byCostThenValue = (a: KnapsackOption, b: KnapsackOption) =>
  a.costCents < b.costCents ||
  (a.costCents === b.costCents && (a.value > b.value || (a.value === b.value && a.timeS < b.timeS)));
const byTimeThenCost = (a: KnapsackOption, b: KnapsackOption) =>
  a.timeS < b.timeS ||
  (a.timeS === b.timeS && (a.costCents < b.costCents || (a.costCents === b.costCents && a.value > b.value)));

/**
 * Max Σ weight(option) subject to Σ cost ≤ budget, by DP over the (shifted, possibly bucketed) budget.
 * Returns the chosen index per shot and whether the grid was exact.
 */
function dpOverBudget(
  problem: KnapsackProblem,
  budgetCents: number,
  weight: (o: KnapsackOption) => number,
): { choice: number[]; exact: boolean } | null {
  const n = problem.shots.length;
  const minCost = problem.shots.map((opts) => Math.min(...opts.map((o) => o.costCents)));
  const spare = budgetCents - minCost.reduce((a, b) => a + b, 0);
  if (spare < 0) return null;

  // Pareto front per shot on (shifted cost ↑, weight ↑), keeping original indices.
  const fronts = problem.shots.map((opts, i) => {
    const items = opts
      .map((o, j) => ({ j, c: o.costCents - (minCost[i] as number), w: weight(o) }))
      .sort((a, b) => a.c - b.c || b.w - a.w);
    const front: typeof items = [];
    for (const it of items)
      if (front.length === 0 || it.w > (front.at(-1) as (typeof items)[0]).w) front.push(it);
    return front;
  });
  const span = fronts.reduce((s, f) => s + (f.at(-1)?.c ?? 0), 0);
  if (span <= spare) return { choice: fronts.map((f) => (f.at(-1) as { j: number }).j), exact: true };

  const range = Math.min(spare, span);
  const unit = Math.max(1, Math.ceil(range / MAX_CELLS));
  const cap = Math.floor(spare / unit);
  const width = cap + 1;
  const maxFront = Math.max(...fronts.map((f) => f.length));
  const picks = maxFront < 256 ? new Uint8Array(n * width) : new Uint16Array(n * width);
  let prev = new Float64Array(width);
  let next = new Float64Array(width);
  for (let i = 0; i < n; i++) {
    const front = fronts[i] as { c: number; w: number }[];
    const cost = front.map((f) => Math.ceil(f.c / unit));
    const w = front.map((f) => f.w);
    const row = i * width;
    for (let b = 0; b < width; b++) {
      let best = Number.NEGATIVE_INFINITY;
      let arg = 0;
      for (let k = 0; k < cost.length; k++) {
        const c = cost[k] as number;
        if (c > b) break;
        const v = (prev[b - c] as number) + (w[k] as number);
        if (v > best) {
          best = v;
          arg = k;
        }
      }
      next[b] = best;
      picks[row + b] = arg;
    }
    [prev, next] = [next, prev];
  }
  const choice = new Array<number>(n);
  let b = cap;
  for (let i = n - 1; i >= 0; i--) {
    const front = fronts[i] as { j: number; c: number }[];
    const k = picks[i * width + b] as number;
    const f = front[k] as { j: number; c: number };
    choice[i] = f.j;
    b -= Math.ceil(f.c / unit);
  }
  return { choice, exact: unit === 1 };
}

function solution(
  problem: KnapsackProblem,
  choice: number[],
  feasible: boolean,
  exact: boolean,
  shortfall: KnapsackSolution["shortfall"] = null,
): KnapsackSolution {
  return { feasible, choice, ...totals(problem, choice), exact, shortfall };
}

/** The optimal plan under the budget and time limit (either may be absent), or the shortfall. */
export function solveKnapsack(problem: KnapsackProblem): KnapsackSolution {
  if (problem.shots.some((opts) => opts.length === 0))
    throw new Error("every shot needs at least one option");
  const budget = problem.budgetCents ?? null;
  const maxTime = problem.maxTimeS ?? null;
  const cheapest = pickEach(problem, byCostThenValue);
  const fastest = pickEach(problem, byTimeThenCost);
  const minCost = totals(problem, cheapest).costCents;
  const minTime = totals(problem, fastest).timeS;
  const timeFits = (s: { timeS: number }) => maxTime === null || s.timeS <= maxTime + 1e-9;

  if ((budget !== null && minCost > budget) || (maxTime !== null && minTime > maxTime + 1e-9)) {
    const overBudget = budget !== null && minCost > budget;
    const choice = overBudget ? cheapest : fastest;
    return solution(problem, choice, false, true, {
      costCents: budget === null ? 0 : Math.max(0, minCost - budget),
      timeS: maxTime === null ? 0 : Math.max(0, minTime - maxTime),
    });
  }

  const solveFor = (weight: (o: KnapsackOption) => number) =>
    budget === null
      ? {
          choice: pickEach(
            problem,
            (a, b) => weight(a) > weight(b) || (weight(a) === weight(b) && byCostThenValue(a, b)),
          ),
          exact: true,
        }
      : (dpOverBudget(problem, budget, weight) as { choice: number[]; exact: boolean });

  const plain = solveFor((o) => o.value);
  if (timeFits(totals(problem, plain.choice))) return solution(problem, plain.choice, true, plain.exact);

  // Time binds. The fastest plan within the budget decides whether both limits can hold at all.
  const scale = Math.max(1, ...problem.shots.flat().map((o) => o.timeS));
  const quickest = solveFor((o) => -o.timeS / scale + o.value * 1e-9);
  const quickestTotals = totals(problem, quickest.choice);
  if (!timeFits(quickestTotals))
    return solution(problem, quickest.choice, false, quickest.exact, {
      costCents: 0,
      timeS: quickestTotals.timeS - (maxTime as number),
    });

  const exhaustive = searchExhaustively(problem, budget, maxTime as number);
  if (exhaustive) return solution(problem, exhaustive, true, true);

  // Lagrangian: smallest λ (value per normalised second) whose plan fits the time limit.
  let lo = 0;
  let hi = 1;
  let best = solveFor((o) => o.value - (hi * o.timeS) / scale);
  for (let i = 0; i < 40 && !timeFits(totals(problem, best.choice)); i++) {
    lo = hi;
    hi *= 4;
    best = solveFor((o) => o.value - (hi * o.timeS) / scale);
  }
  if (!timeFits(totals(problem, best.choice))) best = quickest;
  for (let i = 0; i < 20; i++) {
    const mid = (lo + hi) / 2;
    const trial = solveFor((o) => o.value - (mid * o.timeS) / scale);
    if (timeFits(totals(problem, trial.choice))) {
      hi = mid;
      if (totals(problem, trial.choice).value >= totals(problem, best.choice).value) best = trial;
    } else lo = mid;
  }
  return solution(problem, best.choice, true, false);
}

export const EXHAUSTIVE_LIMIT = 200_000;

/**
 * Exact search over every combination when there are few (options dominated in cost, time and value
 * dropped first): depth-first, pruned by the remaining budget/time and by an optimistic value bound.
 * Null when the problem is too large.
 */
function searchExhaustively(
  problem: KnapsackProblem,
  budget: number | null,
  maxTime: number,
): number[] | null {
  const fronts = problem.shots.map((opts) =>
    opts
      .map((o, j) => ({ ...o, j }))
      .filter(
        (o, _, all) =>
          !all.some(
            (p) =>
              p.j !== o.j &&
              p.costCents <= o.costCents &&
              p.timeS <= o.timeS &&
              p.value >= o.value &&
              (p.costCents < o.costCents || p.timeS < o.timeS || p.value > o.value || p.j < o.j),
          ),
      ),
  );
  let combos = 1;
  for (const f of fronts) {
    combos *= f.length;
    if (combos > EXHAUSTIVE_LIMIT) return null;
  }
  const n = fronts.length;
  const bestAfter = new Array<number>(n + 1).fill(0);
  const cheapAfter = new Array<number>(n + 1).fill(0);
  const quickAfter = new Array<number>(n + 1).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    const f = fronts[i] as (KnapsackOption & { j: number })[];
    bestAfter[i] = (bestAfter[i + 1] as number) + Math.max(...f.map((o) => o.value));
    cheapAfter[i] = (cheapAfter[i + 1] as number) + Math.min(...f.map((o) => o.costCents));
    quickAfter[i] = (quickAfter[i + 1] as number) + Math.min(...f.map((o) => o.timeS));
  }
  const limit = budget ?? Number.POSITIVE_INFINITY;
  let bestValue = Number.NEGATIVE_INFINITY;
  let bestChoice: number[] | null = null;
  const current = new Array<number>(n);
  const walk = (i: number, cost: number, time: number, value: number) => {
    if (value + (bestAfter[i] as number) <= bestValue) return;
    if (cost + (cheapAfter[i] as number) > limit || time + (quickAfter[i] as number) > maxTime + 1e-9) return;
    if (i === n) {
      bestValue = value;
      bestChoice = [...current];
      return;
    }
    for (const o of fronts[i] as (KnapsackOption & { j: number })[]) {
      current[i] = o.j;
      walk(i + 1, cost + o.costCents, time + o.timeS, value + o.value);
    }
  };
  walk(0, 0, 0, 0);
  return bestChoice;
}

/**
 * The baseline a producer would do by hand: shot by shot, take the highest-value option that still
 * leaves enough budget and time for the cheapest options of the shots after it. Exported for the
 * bench (optimiser vs greedy at the same budget).
 */
export function greedyKnapsack(problem: KnapsackProblem): KnapsackSolution {
  const budget = problem.budgetCents ?? Number.POSITIVE_INFINITY;
  const maxTime = problem.maxTimeS ?? Number.POSITIVE_INFINITY;
  const minCost = problem.shots.map((opts) => Math.min(...opts.map((o) => o.costCents)));
  const minTime = problem.shots.map((opts) => Math.min(...opts.map((o) => o.timeS)));
  let reserveCost = minCost.reduce((a, b) => a + b, 0);
  let reserveTime = minTime.reduce((a, b) => a + b, 0);
  if (reserveCost > budget || reserveTime > maxTime + 1e-9) {
    const strict = solveKnapsack(problem); // reports the shortfall the same way
    return strict;
  }
  let spent = 0;
  let used = 0;
  const choice = problem.shots.map((opts, i) => {
    reserveCost -= minCost[i] as number;
    reserveTime -= minTime[i] as number;
    let best = -1;
    opts.forEach((o, j) => {
      const fits =
        spent + o.costCents + reserveCost <= budget && used + o.timeS + reserveTime <= maxTime + 1e-9;
      if (fits && (best < 0 || byValueThenCost(o, opts[best] as KnapsackOption))) best = j;
    });
    if (best < 0) best = opts.findIndex((o) => o.costCents === minCost[i]);
    spent += (opts[best] as KnapsackOption).costCents;
    used += (opts[best] as KnapsackOption).timeS;
    return best;
  });
  const t = totals(problem, choice);
  return solution(problem, choice, t.costCents <= budget && t.timeS <= maxTime + 1e-9, false);
}
