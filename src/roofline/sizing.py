"""Sizing a deployment for a workload: the serving estimate at the batch you would run.

One function, :func:`size`, answers what ``roofline serving`` answers and
what the compare page (:mod:`roofline.web.compare`) shows for each of its
deployments, so the two cannot drift apart: both call it, and its
:meth:`Sizing.as_dict` is the CLI's ``--json`` object, key for key.

The batch: with a latency target (seconds per output token), the largest
running batch up to the memory wall whose time per output token meets it
(:func:`roofline.serving.batch_for_target`), and the estimate is made at
that batch (at 1 when none meets it); ``binding_limit`` is ``latency`` or
``memory``. Without a target the batch is the concurrency given, capped by
the wall (``binding_limit`` ``memory`` when the wall caps it, else
``concurrency``).

The frontier (:meth:`Sizing.frontier`) is the estimate's throughput per
chip against tokens/s per user from B = 1 to the wall
(:func:`roofline.serving.serving_lines` through :func:`roofline.frontier.frontier`).

>>> s = size("h100-sxm", "llama-3.1-8b", gpus=1, precision="fp8", kv_precision="fp8",
...          input_tokens=1000, output_tokens=1000, target_s=0.02)
>>> s.binding_limit, s.estimate.tpot_s <= 0.02, s.as_dict()["chosen_batch"] == s.chosen_batch
('latency', True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

from . import band, frontier, serving
from .deployment import Deployment, Layout
from .speculative import Speculation

__all__ = ["Sizing", "size", "size_deployment"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Sizing:
    """A serving estimate at the batch chosen for it, with that batch, what binds it and the estimate's band.

    ``chosen_batch`` is None when not even one sequence meets ``target_s``
    (seconds per output token; None for no target); the estimate is then at B = 1.
    """

    estimate: serving.Estimate
    chosen_batch: int | None
    binding_limit: str
    target_s: float | None
    band: band.TpotBand

    @property
    def speculation(self) -> Speculation | None:
        return self.estimate.speculation

    def frontier(self, count: int = 48) -> list[frontier.FrontierPoint]:
        """The estimate's frontier from B = 1 to its memory wall, ``count`` batches or so, the chosen one among them."""
        lines = serving.lines_of(self.estimate)
        wall = max(1, self.estimate.capacity_batch)
        include = [self.chosen_batch] if self.chosen_batch is not None else []
        return frontier.frontier(lines, frontier.frontier_batches(wall, count, include))

    def as_dict(self) -> dict[str, object]:
        """What ``roofline serving ... --json`` prints: the estimate, its band, the target, the batch and the drafter."""
        out: dict[str, object] = dict(self.estimate.as_dict())
        out.update(self.band.as_dict())
        s = self.speculation
        out.update(
            {
                "software_stack": self.estimate.deployment.hardware.software_stack,
                "stack_factor": serving.stack_factor(self.estimate.deployment),
                "tpot_target_s": self.target_s,
                "chosen_batch": self.chosen_batch,
                "binding_limit": self.binding_limit,
                "speculation": None
                if s is None
                else {
                    "draft_tokens": s.draft_tokens,
                    "acceptance": s.acceptance,
                    "draft_params": s.draft_params,
                    "draft_active_params": s.draft_active_params,
                    "tokens_per_step": s.tokens_per_step,
                },
            }
        )
        return out


def size(
    hardware: str,
    model: str,
    *,
    gpus: int,
    precision: str | None = None,
    kv_precision: str = "bf16",
    input_tokens: float,
    output_tokens: float,
    concurrency: int | None = None,
    target_s: float | None = None,
    usd_per_gpu_hour: float = 2.0,
    layout: Layout | str | None = None,
    disaggregated: bool = False,
    speculation: Speculation | None = None,
) -> Sizing:
    """The serving estimate for a preset deployment and workload at the batch you would run (module docstring).

    Arguments are :func:`roofline.serving.estimate`'s, with ``target_s`` (seconds
    per output token, or None) choosing the batch; ``concurrency`` may be None
    only with a target.

    Raises:
        ValueError: naming the value, as :func:`roofline.serving.estimate` does, or
            for neither a concurrency nor a target; :class:`roofline.serving.DoesNotFit`
            when not one full-length sequence fits beside the weights.
    """
    _check_batch_rule(concurrency, target_s)
    first = serving.estimate(
        hardware,
        model,
        gpus=gpus,
        precision=precision,
        kv_precision=kv_precision,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        concurrency=concurrency or 1,
        usd_per_gpu_hour=usd_per_gpu_hour,
        layout=layout,
        disaggregated=disaggregated,
        speculation=speculation,
    )
    return _sized(first, concurrency, target_s)


def size_deployment(
    d: Deployment,
    workload: serving.Workload,
    *,
    concurrency: int | None = None,
    target_s: float | None = None,
) -> Sizing:
    """:func:`size` for a deployment already made (as the compare page makes it from its pickers).

    ``d.context_tokens`` is replaced by the workload's mean context, as
    :func:`roofline.serving.estimate_deployment` does. Raises as :func:`size` does.
    """
    _check_batch_rule(concurrency, target_s)
    return _sized(serving.estimate_deployment(d, workload, concurrency=concurrency or 1), concurrency, target_s)


def _check_batch_rule(concurrency: int | None, target_s: float | None) -> None:
    if concurrency is None and target_s is None:
        raise ValueError("concurrency is required unless a latency target chooses the batch")


def _sized(e: serving.Estimate, concurrency: int | None, target_s: float | None) -> Sizing:
    """The sizing from the estimate at ``concurrency`` (1 when None): with no concurrency, made again at the chosen batch."""
    chosen: int | None
    if target_s is None:
        chosen = e.running_batch
        limit = "memory" if e.concurrency > e.capacity_batch else "concurrency"
    else:
        chosen, limit = serving.batch_for_target(e, target_s)
        if concurrency is None:
            e = serving.estimate_deployment(e.deployment, e.workload, concurrency=chosen or 1)
    return Sizing(estimate=e, chosen_batch=chosen, binding_limit=limit, target_s=target_s, band=band.band_of(e))
