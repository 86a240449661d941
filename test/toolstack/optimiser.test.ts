import { describe, expect, it } from "vitest";
import {
  greedyKnapsack,
  type KnapsackOption,
  type KnapsackProblem,
  solveKnapsack,
} from "../../src/toolstack/optimiser.js";

/** Deterministic PRNG (mulberry32) so a failing case can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomProblem(seed: number, shots: number, options: number): KnapsackProblem {
  const r = rng(seed);
  return {
    shots: Array.from({ length: shots }, () =>
      Array.from({ length: options }, () => ({
        costCents: Math.floor(r() * 200),
        timeS: Math.floor(r() * 600),
        value: Math.round(r() * 1000) / 1000,
      })),
    ),
  };
}

/** Every combination: the true optimum (or null when nothing fits). */
function bruteForce(problem: KnapsackProblem): number | null {
  let best: number | null = null;
  const walk = (i: number, cost: number, time: number, value: number) => {
    if (i === problem.shots.length) {
      if (cost <= (problem.budgetCents ?? Infinity) && time <= (problem.maxTimeS ?? Infinity) + 1e-9)
        best = best === null ? value : Math.max(best, value);
      return;
    }
    for (const o of problem.shots[i] as KnapsackOption[])
      walk(i + 1, cost + o.costCents, time + o.timeS, value + o.value);
  };
  walk(0, 0, 0, 0);
  return best;
}

const totalCost = (p: KnapsackProblem, choice: number[]) =>
  choice.reduce((s, j, i) => s + (p.shots[i]?.[j]?.costCents ?? 0), 0);

describe("solveKnapsack", () => {
  it("finds the brute-force optimum under a budget on 200 small random plans", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const base = randomProblem(seed, 5, 4);
      const minCost = base.shots.reduce((s, o) => s + Math.min(...o.map((x) => x.costCents)), 0);
      const problem = { ...base, budgetCents: minCost + Math.floor(rng(seed * 7)() * 300) };
      const expected = bruteForce(problem);
      const got = solveKnapsack(problem);
      expect(got.feasible, `seed ${seed}`).toBe(true);
      expect(got.value, `seed ${seed}`).toBeCloseTo(expected as number, 9);
      expect(got.costCents).toBeLessThanOrEqual(problem.budgetCents);
      expect(got.exact).toBe(true);
    }
  });

  it("finds the brute-force optimum under a budget and a time limit together", () => {
    let binding = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const base = randomProblem(seed + 1000, 5, 4);
      const minCost = base.shots.reduce((s, o) => s + Math.min(...o.map((x) => x.costCents)), 0);
      const minTime = base.shots.reduce((s, o) => s + Math.min(...o.map((x) => x.timeS)), 0);
      const problem = { ...base, budgetCents: minCost + 250, maxTimeS: minTime + 600 };
      const expected = bruteForce(problem);
      const got = solveKnapsack(problem);
      if (expected === null) {
        expect(got.feasible, `seed ${seed}`).toBe(false);
        continue;
      }
      if (solveKnapsack({ ...problem, maxTimeS: null }).timeS > problem.maxTimeS) binding += 1;
      expect(got.feasible, `seed ${seed}`).toBe(true);
      expect(got.value, `seed ${seed}`).toBeCloseTo(expected, 9);
      expect(got.timeS).toBeLessThanOrEqual(problem.maxTimeS);
      expect(got.costCents).toBeLessThanOrEqual(problem.budgetCents);
    }
    expect(binding).toBeGreaterThan(10); // the time limit really was the constraint in many cases
  });

  it("beats a greedy shot-by-shot choice when spending early starves a later shot", () => {
    const problem: KnapsackProblem = {
      shots: [
        [
          { costCents: 0, timeS: 0, value: 0.5 },
          { costCents: 90, timeS: 0, value: 0.6 },
        ],
        [
          { costCents: 0, timeS: 0, value: 0.1 },
          { costCents: 90, timeS: 0, value: 0.9 },
        ],
      ],
      budgetCents: 100,
    };
    const greedy = greedyKnapsack(problem);
    const best = solveKnapsack(problem);
    expect(greedy.choice).toEqual([1, 0]);
    expect(best.choice).toEqual([0, 1]);
    expect(best.value).toBeGreaterThan(greedy.value);
  });

  it("respects the budget on 300 shots × 50 options and is never worse than greedy", () => {
    const base = randomProblem(42, 300, 50);
    const minCost = base.shots.reduce((s, o) => s + Math.min(...o.map((x) => x.costCents)), 0);
    const problem = { ...base, budgetCents: minCost + 3000 };
    const started = performance.now();
    const best = solveKnapsack(problem);
    const elapsed = performance.now() - started;
    const greedy = greedyKnapsack(problem);
    expect(best.feasible).toBe(true);
    expect(totalCost(problem, best.choice)).toBe(best.costCents);
    expect(best.costCents).toBeLessThanOrEqual(problem.budgetCents);
    expect(greedy.costCents).toBeLessThanOrEqual(problem.budgetCents);
    expect(best.value).toBeGreaterThanOrEqual(greedy.value);
    expect(elapsed).toBeLessThan(2000);
  });

  it("stays within a large budget when it has to bucket the grid", () => {
    const base = randomProblem(7, 100, 20);
    const scaled = { shots: base.shots.map((o) => o.map((x) => ({ ...x, costCents: x.costCents * 1000 }))) };
    const minCost = scaled.shots.reduce((s, o) => s + Math.min(...o.map((x) => x.costCents)), 0);
    const problem = { ...scaled, budgetCents: minCost + 2_000_000 };
    const got = solveKnapsack(problem);
    expect(got.feasible).toBe(true);
    expect(got.costCents).toBeLessThanOrEqual(problem.budgetCents);
    expect(got.exact).toBe(false);
  });

  it("reports by how much the cheapest plan misses the budget", () => {
    const problem: KnapsackProblem = {
      shots: [
        [
          { costCents: 40, timeS: 10, value: 0.5 },
          { costCents: 70, timeS: 5, value: 0.9 },
        ],
        [{ costCents: 50, timeS: 10, value: 0.5 }],
      ],
      budgetCents: 75,
    };
    const got = solveKnapsack(problem);
    expect(got.feasible).toBe(false);
    expect(got.choice).toEqual([0, 0]);
    expect(got.shortfall).toEqual({ costCents: 15, timeS: 0 });
  });

  it("reports the time shortfall when even the fastest plan within budget is too slow", () => {
    const problem: KnapsackProblem = {
      shots: [
        [
          { costCents: 10, timeS: 100, value: 0.5 },
          { costCents: 80, timeS: 20, value: 0.6 },
        ],
        [{ costCents: 10, timeS: 50, value: 0.5 }],
      ],
      budgetCents: 50,
      maxTimeS: 100,
    };
    const got = solveKnapsack(problem);
    expect(got.feasible).toBe(false);
    expect(got.shortfall?.timeS).toBe(50);
    expect(got.costCents).toBeLessThanOrEqual(50);
  });
});
