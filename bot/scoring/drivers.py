"""Key-driver analysis: which driver moves the score, as its LMG share of the fit's R². Pure.

Each answer that names at least one driver is a row: a driver is +1 when named at 9–10, −1 when
named at 0–8, else 0; the outcome is the score. Importance is the LMG (Lindeman–Merenda–Gold)
decomposition of the R² of the least-squares fit, i.e. the Shapley value of each driver in the
game "R² of the model on a subset of drivers", as R's relaimpo `lmg` and pingouin's
`linear_regression(..., relimp=True)` compute it.

It is exact for any number of drivers. The R² of every subset comes from the correlation
matrix: subsets are walked depth first, each one its parent plus one driver, so each adds one
row to its parent's Cholesky factor and one term to its R² (O(k) per subset and candidate, no
matrix is ever inverted). 15 drivers are 32,768 subsets; see bench/drivers.py. Plain Python:
numpy would save little at this size and cost a dependency the core does not otherwise need.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.scoring.nps import Tally

# Fewer answers naming a driver than this, and importances are not worth showing.
MIN_DRIVER_ANSWERS = 30
# Below this, a driver adds nothing new: it is a linear combination of those already in the
# subset (pinv's answer: R² does not move).
_SINGULAR = 1e-10


@dataclass(frozen=True, slots=True)
class Fit:
    """The analysed answers: `importance[i]` is the share (0–1) of `r2` owed to `names[i]`."""

    n: int
    names: tuple[str, ...]  # drivers with variance, in the order asked for
    r2: float
    importance: tuple[float, ...]  # sums to 1; empty when nothing is explained (r2 == 0)


@dataclass(frozen=True, slots=True)
class Named:
    """How often one driver was named as what went well (9–10) and as what did not (0–8)."""

    name: str
    good: Tally
    bad: Tally  # the 0–8 answers naming it; detractors among them are `bad.detractors`


def named_counts(
    answers: Sequence[tuple[int, Sequence[str]]], names: Sequence[str]
) -> tuple[list[Named], int]:
    """Each driver's good and bad tallies, and how many answers naming a driver are detractors."""
    good = {name: [0, 0, 0] for name in names}
    bad = {name: [0, 0, 0] for name in names}
    detractors = 0
    for score, named in answers:
        chosen = set(named) & good.keys()
        detractors += bool(chosen) and score <= 6
        kind = 0 if score >= 9 else 1 if score >= 7 else 2
        for name in chosen:
            (good if score >= 9 else bad)[name][kind] += 1
    lines = [Named(n, Tally(*good[n]), Tally(*bad[n])) for n in names]
    return lines, detractors


def coded(answers: Sequence[tuple[int, Sequence[str]]], names: Sequence[str]) -> list[list[int]]:
    """One row per answer naming at least one driver: the driver values, then the score."""
    rows = []
    for score, named in answers:
        chosen = set(named)
        if not chosen & set(names):
            continue
        sign = 1 if score >= 9 else -1
        rows.append([sign if name in chosen else 0 for name in names] + [score])
    return rows


def key_drivers(answers: Sequence[tuple[int, Sequence[str]]], names: Sequence[str]) -> Fit:
    """The LMG shares of the drivers in `names` (those without variance are left out)."""
    rows = coded(answers, names)
    columns = list(zip(*rows, strict=True)) if rows else []
    kept = [i for i in range(len(names)) if rows and _variance(columns[i]) > 0]
    if not rows or not kept or _variance(columns[-1]) == 0:
        return Fit(len(rows), tuple(names[i] for i in kept), 0.0, ())
    corr = _correlations([columns[i] for i in kept] + [columns[-1]])
    r2 = subset_r2([row[:-1] for row in corr[:-1]], corr[-1][:-1])
    parts = lmg(r2, len(kept))
    total = r2[-1]
    shares = tuple(part / total for part in parts) if total > _SINGULAR else ()
    return Fit(len(rows), tuple(names[i] for i in kept), total, shares)


def _variance(values: Sequence[int]) -> float:
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values)


def _correlations(columns: Sequence[Sequence[int]]) -> list[list[float]]:
    centred = []
    for column in columns:
        mean = sum(column) / len(column)
        deviations = [v - mean for v in column]
        scale = math.sqrt(sum(d * d for d in deviations))
        centred.append([d / scale for d in deviations])
    return [[math.fsum(x * y for x, y in zip(a, b, strict=True)) for b in centred] for a in centred]


def subset_r2(corr: Sequence[Sequence[float]], r: Sequence[float]) -> list[float]:
    """R² of the model on every subset of the predictors, indexed by bitmask (bit j: predictor j).

    `corr` is the predictors' correlation matrix and `r` their correlations with the outcome.
    R²(S) = r_S' R_SS⁻¹ r_S = |z|² where L z = r_S and L L' = R_SS (Cholesky)."""
    p = len(r)
    out = [0.0] * (1 << p)
    _extend(_Walk(corr, r, out), 0, 0, 0.0, [_Candidate([], 0.0, 0.0) for _ in range(p)])
    return out


@dataclass(slots=True)
class _Walk:
    corr: Sequence[Sequence[float]]
    r: Sequence[float]
    out: list[float]


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A driver not yet in the subset: w solves L w = R[S, j]; sq = |w|², dot = w·z."""

    w: list[float]
    sq: float
    dot: float


def _extend(walk: _Walk, mask: int, start: int, total: float, todo: list[_Candidate]) -> None:
    """Visits every subset `mask | {j, …}` with j ≥ start; `total` is R²(mask) and `todo[j]`
    what driver j needs to join it."""
    p = len(walk.r)
    for j in range(start, p):
        child, here = mask | (1 << j), todo[j]
        pivot2 = 1.0 - here.sq
        if pivot2 <= _SINGULAR:
            # j is a combination of the drivers already in: it adds nothing, now or later.
            walk.out[child] = total
            _extend(walk, child, j + 1, total, todo)
            continue
        pivot = math.sqrt(pivot2)
        z = (walk.r[j] - here.dot) / pivot
        walk.out[child] = total + z * z
        if j + 1 < p:
            _extend(walk, child, j + 1, total + z * z, _joined(walk, todo, j, pivot, z))


def _joined(
    walk: _Walk, todo: list[_Candidate], j: int, pivot: float, z: float
) -> list[_Candidate]:
    """The candidates after j joins the subset: each w gains one entry (L gains j's row)."""
    w_j, row = todo[j].w, walk.corr[j]
    after = todo[:]
    for k in range(j + 1, len(todo)):
        c = todo[k]
        e = (row[k] - math.fsum(a * b for a, b in zip(w_j, c.w, strict=True))) / pivot
        after[k] = _Candidate([*c.w, e], c.sq + e * e, c.dot + e * z)
    return after


def lmg(r2: Sequence[float], p: int) -> list[float]:
    """Each predictor's Shapley value in the R² game: the mean over orderings of what adding it
    adds, i.e. Σ over subsets S without j of |S|!(p−|S|−1)!/p! · (R²(S ∪ j) − R²(S))."""
    weight = [math.factorial(k) * math.factorial(p - k - 1) / math.factorial(p) for k in range(p)]
    sizes = [m.bit_count() for m in range(1 << p)]
    parts = []
    for j in range(p):
        bit = 1 << j
        parts.append(
            math.fsum(
                weight[sizes[m]] * (r2[m | bit] - r2[m]) for m in range(1 << p) if not m & bit
            )
        )
    return parts
