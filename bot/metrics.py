"""Prometheus counters for what the bot did, one registry per app so tests can run several."""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
)

# The *_created series double the output and no dashboard of ours reads them.
disable_created_metrics()  # type: ignore[no-untyped-call]  # unannotated in prometheus_client


class Metrics:
    # long: one declaration per metric, so the names and help texts /metrics shows read as a list
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.surveys = Counter(
            "npsbot_surveys", "Surveys by what happened to them", ["event"], registry=self.registry
        )
        self.webhooks = Counter(
            "npsbot_webhooks", "Ticket webhooks by outcome", ["outcome"], registry=self.registry
        )
        self.skipped = Counter(
            "npsbot_surveys_skipped",
            "Tickets stored without a survey, by reason",
            ["reason"],
            registry=self.registry,
        )
        self.rejected = Counter(
            "npsbot_rejected_requests",
            "Requests refused before authentication",
            ["endpoint", "reason"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "npsbot_request_seconds",
            "HTTP request latency",
            ["route", "method", "status"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.guesses = Counter(
            "npsbot_agent_guesses",
            "Agents' guesses by what happened (asked, guessed; skipped: no_agent, agent_unknown)",
            ["event"],
            registry=self.registry,
        )
        for event in ("received", "sent", "answered", "failed"):
            self.surveys.labels(event)  # so every series exists at 0 from the first scrape

    def survey(self, event: str, count: int = 1) -> None:
        self.surveys.labels(event).inc(count)
