"""The worker's periodic jobs, registered by the apps that own them (from their AppConfig.ready()), so that
the worker in core names no domain app:

    jobs.every_pulse("gerai-rollups", rollups_fold)       # every --pulse seconds (2 by default)
    jobs.every_minute(sla_sweep.enqueue)                  # every --every seconds (60 by default)

Each pulse job runs on its own thread, so a slow one (a mail gateway, a webhook receiver) never holds up
another; the minute jobs only enqueue tasks and share one thread."""

from collections.abc import Callable

pulse_jobs: dict[str, Callable[[], object]] = {}
minute_jobs: list[Callable[[], object]] = []


def every_pulse(name: str, job: Callable[[], object]) -> None:
    pulse_jobs[name] = job


def every_minute(job: Callable[[], object]) -> None:
    if job not in minute_jobs:
        minute_jobs.append(job)
