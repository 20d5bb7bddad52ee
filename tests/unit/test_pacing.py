"""bot.pacing on a clock the test drives, against a token bucket like a platform's limit."""

from __future__ import annotations

import itertools

import pytest

from bot.pacing import MAX_WAIT, UNDER, Pacer
from bot.ports import Deferred
from tests.buckets import Bucket

LATENCY = 0.01


def send_all(calls: int, bucket: Bucket, pacer: Pacer | None) -> tuple[int, float]:
    """One call at a time, each as soon as allowed; (429s, when the last was served). Without
    a pacer, a 429 only pauses for its Retry-After, as the worker did before pacing."""
    now, held, refused, served = 0.0, 0.0, 0, 0
    while served < calls:
        at = pacer.reserve(now) if pacer else max(now, held)
        retry_after = bucket.call(at)
        now = at + LATENCY
        if retry_after is None:
            served += 1
            if pacer:
                pacer.serve()
            continue
        refused += 1
        held = now + retry_after
        if pacer:
            pacer.refuse(at, retry_after, now)
    return refused, now


def test_a_method_never_refused_is_not_paced() -> None:
    pacer = Pacer()
    assert [pacer.reserve(t) for t in (0.0, 0.0, 0.5)] == [0.0, 0.0, 0.5]


def test_the_rate_is_the_calls_served_between_two_refusals_over_the_time_between() -> None:
    pacer = Pacer()
    pacer.refuse(0.0, 1.0, now=0.0)
    for _ in range(40):
        pacer.serve()
    pacer.refuse(3.9, 1.0, now=4.0)
    assert pacer.rate == pytest.approx(40 / 4.0 * UNDER)


def test_a_refusal_of_a_call_sent_before_the_last_refusal_teaches_nothing() -> None:
    """Calls in flight together meet the same empty bucket: one refusal, not several."""
    pacer = Pacer()
    pacer.refuse(0.0, 1.0, now=0.1)
    for _ in range(40):
        pacer.serve()
    pacer.refuse(0.05, 1.0, now=0.2)
    assert pacer.rate is None
    assert len(pacer.marks) == 1


def test_after_a_refusal_nothing_goes_before_retry_after_then_calls_are_spaced() -> None:
    pacer = Pacer()
    pacer.refuse(0.0, 1.0, now=0.0)
    for _ in range(20):
        pacer.serve()
    pacer.refuse(1.9, 1.0, now=2.0)
    rate = pacer.rate
    assert rate is not None
    assert pacer.reserve(2.0) == 3.0
    # The pause refilled a second's worth: that goes at once, then one call per 1/rate.
    burst = int(rate * 1.0)
    times = [pacer.reserve(3.0) for _ in range(burst + 3)]
    assert times[: burst - 1] == [3.0] * (burst - 1)
    later = times[burst - 1 :]
    gaps = [b - a for a, b in itertools.pairwise(later)]
    assert later[0] > 3.0
    assert gaps == pytest.approx([1 / rate] * len(gaps))


def test_a_wait_longer_than_a_job_should_hold_its_slot_is_handed_back() -> None:
    pacer = Pacer()
    pacer.refuse(0.0, 30.0, now=0.0)
    with pytest.raises(Deferred) as info:
        pacer.reserve(1.0)
    assert info.value.retry_after == pytest.approx(29.0)
    assert pacer.reserve(30.0 - MAX_WAIT) == 30.0


@pytest.mark.parametrize(
    ("rate", "burst", "calls"), [(10.0, 20.0, 1000), (2000 / 60, 800.0, 4000), (50 / 60, 20.0, 300)]
)
def test_pacing_answers_far_fewer_429s_and_loses_no_time(
    rate: float, burst: float, calls: int
) -> None:
    unpaced_refused, unpaced_done = send_all(calls, Bucket(rate, burst), None)
    refused, done = send_all(calls, Bucket(rate, burst), Pacer())
    assert refused <= calls * 0.05
    assert refused < unpaced_refused / 2
    assert done <= unpaced_done * 1.01
