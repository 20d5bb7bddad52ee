"""Comment themes found automatically, offline and deterministically. Pure (no I/O, no clock).

Comments are cleaned (lower case, accents and digits dropped, function words of en/fr/de/es
removed), turned into character n-grams within words (TF-IDF, `char_wb` 3–5): shared stems and
cognates ("inform", "rapid", "compet", "expert") match across languages and typos without a
dictionary or a downloaded model. An LSA projection (truncated SVD) smooths the sparse grams,
and k-means groups the comments; k is the one with the best cosine silhouette (on a sample of
`SAMPLE` comments) over a small range that stops at one theme per `PER_THEME` comments (at most
`MAX_THEMES`): silhouette keeps rising with k on short comments, so the cap is what usually
decides, and it keeps a chat reply readable. Each theme is labelled by its most distinctive
words (class-based TF-IDF over whole words) and offers as examples the comments nearest its
centre. Every random step is seeded and the maths runs on one thread: the same comments give
the same themes.

scikit-learn is imported inside the functions: `npsbot --help` and the rest of the bot never pay
for it until a theme is asked for.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.scoring.stopwords import STOP_WORDS

MIN_THEME_COMMENTS = 20  # below this, "themes" would be single comments with a word count
PER_THEME = 10  # comments per theme, at least on average: caps k
MAX_THEMES = 40
DIMENSIONS = 100  # of the LSA projection
TOP_TERMS = 3
EXAMPLES = 2
SEED = 14
SAMPLE = 2000  # comments k is chosen on: silhouette is quadratic, k-means runs once per k
MAX_GRAMS = 1 << 15  # the most frequent n-grams only: the SVD's cost grows with them
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True, slots=True)
class Themes:
    """`theme[i]` is the theme of comment i; themes are numbered largest first."""

    theme: tuple[int, ...]
    terms: tuple[tuple[str, ...], ...]  # each theme's words, most distinctive first
    nearest: tuple[tuple[int, ...], ...]  # each theme's comments, nearest its centre first


def words(text: str) -> list[str]:
    """The words that can carry a theme: lower case, no accents, no digits, no function words."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return [w for w in _WORD.findall(plain) if w not in STOP_WORDS]


def find_themes(texts: Sequence[str]) -> Themes:
    """Groups `texts` into themes; one theme when they are too few or too alike to split."""
    from threadpoolctl import threadpool_limits

    # One thread: the server has other work, the host is often shared (parallel BLAS was
    # slower, not faster, on two busy cores), and the sums come out in the same order each run.
    with threadpool_limits(limits=1):
        cleaned = [" ".join(words(t)) for t in texts]
        ks = _candidates(len(texts), len(set(cleaned)))
        points = _points(cleaned) if ks else None
        if points is None:
            return _ranked([0] * len(texts), cleaned, None)
        return _ranked(_clusters(points, ks), cleaned, points)


def _candidates(n: int, distinct: int) -> list[int]:
    """A handful of k from 2 up to the cap, evenly spread: each costs a k-means and a silhouette.
    k-means cannot find more clusters than there are distinct comments."""
    top = min(MAX_THEMES, n // PER_THEME, distinct - 1)
    if top < 2:
        return []
    step = max(1, (top - 2) // 7)
    return sorted({*range(2, top + 1, step), top})


def _points(cleaned: Sequence[str]) -> Any:
    """Each comment as a unit vector in the LSA space; None when there is nothing to split."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2, max_features=MAX_GRAMS
    )
    try:
        grams = vectorizer.fit_transform(cleaned)
    except ValueError:  # no gram occurs twice: nothing in common to group on
        return None
    dims = min(DIMENSIONS, grams.shape[1] - 1, len(cleaned) - 1)
    if dims < 2:
        return None
    return normalize(TruncatedSVD(dims, n_iter=3, random_state=SEED).fit_transform(grams))


def _clusters(points: Any, ks: Sequence[int]) -> list[int]:
    """k is chosen on a seeded sample (a k-means and a silhouette per candidate), then the
    comments are grouped once, all of them, with that k."""
    import numpy as np
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(SEED)
    sample = points[np.sort(rng.permutation(len(points))[:SAMPLE])]
    # Different comments can share one point (nothing left after min_df): k-means cannot
    # find more clusters than there are distinct points.
    distinct = len(np.unique(sample.round(9), axis=0))
    best: tuple[float, int] | None = None
    for k in (k for k in ks if k < distinct):
        found = _kmeans(k, 1, sample)
        if len(set(found)) < 2:
            continue
        score = float(silhouette_score(sample, found, metric="cosine"))
        if best is None or score > best[0]:
            best = (score, k)
    if best is None:
        return [0] * len(points)
    return [int(x) for x in _kmeans(best[1], 4, points)]


def _kmeans(k: int, starts: int, points: Any) -> Any:
    from sklearn.cluster import KMeans

    return KMeans(k, random_state=SEED, n_init=starts).fit_predict(points)


def _ranked(found: Sequence[int], cleaned: Sequence[str], points: Any) -> Themes:
    """Themes renumbered largest first (ties: first seen), with their words and examples."""
    sizes = Counter(found)
    order = sorted(sizes, key=lambda c: (-sizes[c], found.index(c)))
    number = {c: i for i, c in enumerate(order)}
    theme = tuple(number[c] for c in found)
    members = [[i for i, t in enumerate(theme) if t == n] for n in range(len(order))]
    return Themes(theme, labels(cleaned, members), tuple(_nearest(points, m) for m in members))


def _nearest(points: Any, members: list[int]) -> tuple[int, ...]:
    if points is None:
        return tuple(members)
    centre = points[members].mean(axis=0)
    closeness = points[members] @ centre
    return tuple(members[i] for i in sorted(range(len(members)), key=lambda i: -closeness[i]))


def labels(cleaned: Sequence[str], members: Sequence[Sequence[int]]) -> tuple[tuple[str, ...], ...]:
    """Each theme's `TOP_TERMS` words by class-based TF-IDF: frequent in the theme, rare elsewhere
    (a word's count in the theme × log(1 + average words per theme / its count overall))."""
    counts = [Counter(w for i in m for w in cleaned[i].split()) for m in members]
    overall: Counter[str] = sum(counts, Counter())
    average = sum(overall.values()) / max(1, len(members))
    out = []
    for theme in counts:
        weight = {w: n * math.log(1 + average / overall[w]) for w, n in theme.items()}
        out.append(tuple(sorted(weight, key=lambda w: (-weight[w], w))[:TOP_TERMS]))
    return tuple(out)


def purity(truth: Sequence[str], found: Sequence[int]) -> float:
    """Share of comments whose theme's most common true label is their own."""
    by_theme: dict[int, Counter[str]] = {}
    for label, theme in zip(truth, found, strict=True):
        by_theme.setdefault(theme, Counter())[label] += 1
    return sum(c.most_common(1)[0][1] for c in by_theme.values()) / max(1, len(truth))
