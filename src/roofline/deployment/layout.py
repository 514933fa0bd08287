"""The parallel layout: how a deployment's chips share the model, and what each chip holds, reads and sends.

The article divides everything evenly over N chips. No engine does: it picks
a *layout*, and the layout decides which weights and which KV each chip holds
(split, or copied onto every chip), hence the memory wall and the bytes read
per step, and which collectives each step pays for. The sizes mean what the
engines' flags mean (SGLang ``--tp``/``--ep-size``/``--enable-dp-attention``,
vLLM ``--tensor-parallel-size``/``--pipeline-parallel-size``/``--enable-expert-parallel``):

* ``tp``: **tensor parallel** over the ``tp`` chips of one pipeline stage.
  Attention is split by query heads, FFN and expert matrices by columns and
  rows; two all-reduces of the hidden state per layer.
* ``pp``: **pipeline parallel**: the layers are cut into ``pp`` stages of
  ``tp`` chips each, so ``gpus = tp · pp``. A step runs ``m = min(B, pp)``
  micro-batches through the stages in turn; each micro-batch reads the
  stage's weights again, and with fewer micro-batches than stages a share
  ``1 − m / pp`` of the chips waits (the bubble).
* ``ep``: **expert parallel**: whole routed experts spread over ``ep`` chips
  of a stage (``ep`` divides ``tp``; the rest of the group splits each
  expert by TP); with DP attention, tokens go to their experts by an
  all-to-all dispatch and come back by a combine. Mixture-of-experts only.
* ``dp_attention``: **data-parallel attention** (DeepSeek's production "MLA
  and shared expert DP"): each of a stage's ``tp`` chips runs attention, and
  every other weight that is not a routed expert, for its own share of the
  requests. Those weights are *copied* on every chip; the KV cache is split
  by request.
* ``ideal``: the article's even split of weights, KV and arithmetic, with
  no collectives: the idealisation, named as such.

What is copied (beyond the even share) under each layout:

* **MLA under TP**: the latent cache is one "head" that every query head
  reads, so each of the ``tp`` chips holds and reads every sequence's whole
  latent: ``tp`` copies of the KV.
* **GQA with ``tp`` above the KV heads**: each chip needs at least one whole
  KV head, so each head (and its K and V projections) is held
  ``tp / kv_heads`` times.
* **DP attention**: every weight outside the routed experts (attention,
  shared experts, dense-layer FFNs, embeddings), ``tp`` times.

Everything else is split evenly. The functions below return whole-deployment
totals *with the copies counted*, so the article's lines keep their form:
a step reads those bytes over ``N · BW`` and does its arithmetic over
``N · C``, on chips that each do the same share. Attention's arithmetic is
never copied: under TP each chip does its heads' share; under DP attention
its requests' share.

>>> from roofline.presets import model
>>> ds = model("deepseek-v3")
>>> kv_copies(Layout(tp=8), ds), kv_copies(Layout(tp=8, ep=8, dp_attention=True), ds)
(8.0, 1.0)
>>> kv_copies(Layout(tp=16), model("llama-3.1-70b"))
2.0
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ..checks import check_whole_number
from ..presets import Hardware, Model

__all__ = [
    "IDEAL",
    "LAYOUT_SOURCES",
    "Collective",
    "Layout",
    "busy_fraction",
    "check_layout",
    "collectives",
    "copied_params",
    "default_layout",
    "kv_copies",
    "micro_batches",
    "parse_layout",
    "routed_params",
    "shared_params",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Layout:
    """How the chips share the model (module docstring): sizes as the engines' flags give them.

    Args:
        tp: tensor-parallel chips per pipeline stage (>= 1).
        ep: expert-parallel chips among them (>= 1, divides ``tp``).
        pp: pipeline stages (>= 1); ``gpus = tp · pp``.
        dp_attention: attention and the other non-expert weights run
            data-parallel over the stage's ``tp`` chips (copied on each).
        ideal: the article's even split; the sizes are then ignored.

    Raises:
        ValueError: naming the size, for one that is not a whole number >= 1.
    """

    tp: int = 1
    ep: int = 1
    pp: int = 1
    dp_attention: bool = False
    ideal: bool = False

    def __post_init__(self) -> None:
        for name in ("tp", "ep", "pp"):
            check_whole_number(name, getattr(self, name))
        if not isinstance(self.dp_attention, bool) or not isinstance(self.ideal, bool):
            raise ValueError("dp_attention and ideal must be True or False")

    def chips(self, gpus: int) -> int:
        """Chips the layout spans: ``tp · pp`` (the ideal split spans whatever it is given)."""
        return gpus if self.ideal else self.tp * self.pp

    @property
    def key(self) -> str:
        """A short name: ``ideal``, or the sizes that are not 1 (``tp8``, ``tp8-ep8-dpa``, ``tp8-pp2``).

        >>> Layout(tp=8, ep=8, dp_attention=True).key, Layout().key, IDEAL.key
        ('tp8-ep8-dpa', 'tp1', 'ideal')
        """
        if self.ideal:
            return "ideal"
        parts = [f"tp{self.tp}"]
        if self.ep > 1:
            parts.append(f"ep{self.ep}")
        if self.dp_attention:
            parts.append("dpa")
        if self.pp > 1:
            parts.append(f"pp{self.pp}")
        return "-".join(parts)

    def describe(self) -> str:
        """One line saying what the layout does.

        >>> print(Layout(tp=8, ep=8, dp_attention=True).describe())
        TP 8 with DP attention (non-expert weights copied on each of the 8 chips, KV split by request), EP 8 (whole experts per chip)
        >>> print(IDEAL.describe())
        ideal: weights, KV and arithmetic split evenly, no collectives (the article's idealisation)
        """
        if self.ideal:
            return "ideal: weights, KV and arithmetic split evenly, no collectives (the article's idealisation)"
        if self.tp == 1 and self.pp == 1:
            return "one chip: nothing split, nothing copied"
        parts = []
        if self.tp > 1:
            if self.dp_attention:
                parts.append(
                    f"TP {self.tp} with DP attention (non-expert weights copied on each of the {self.tp} chips, "
                    "KV split by request)"
                )
            else:
                parts.append(f"TP {self.tp} (attention split by heads, two all-reduces per layer)")
        if self.ep > 1:
            parts.append(f"EP {self.ep} (whole experts per chip)")
        if self.pp > 1:
            parts.append(f"PP {self.pp} (layers cut into {self.pp} stages, one hand-off between each)")
        return ", ".join(parts)


#: The article's even split.
IDEAL = Layout(ideal=True)


def parse_layout(text: str) -> Layout:
    """A :class:`Layout` from its :attr:`Layout.key` (``ideal``, ``tp8``, ``tp8-ep8-dpa``, ``tp4-pp2``).

    >>> parse_layout("tp8-ep8-dpa") == Layout(tp=8, ep=8, dp_attention=True)
    True
    >>> parse_layout("tp8-xx")
    Traceback (most recent call last):
    ...
    ValueError: layout must be 'ideal' or parts like tp8, ep8, pp2, dpa joined by '-', got 'tp8-xx'
    """
    if text == "ideal":
        return IDEAL
    sizes = {"tp": 1, "ep": 1, "pp": 1}
    dpa = False
    bad = ValueError(f"layout must be 'ideal' or parts like tp8, ep8, pp2, dpa joined by '-', got {text!r}")
    for part in text.split("-"):
        if part == "dpa":
            dpa = True
        elif part[:2] in sizes and part[2:].isdigit() and part[2:].isascii():
            sizes[part[:2]] = int(part[2:])
        else:
            raise bad
    return Layout(dp_attention=dpa, **sizes)


def check_layout(layout: Layout, m: Model, gpus: int) -> Layout:
    """``layout`` if it can run ``m`` on ``gpus`` chips, else a ValueError that names the size.

    Refused: sizes that do not multiply to the chips; EP on a dense model, or
    EP that does not divide TP or exceeds the experts; TP (without DP
    attention) above the attention heads or not dividing them (each chip
    must get whole heads); PP above the layers.

    >>> from roofline.presets import model
    >>> check_layout(Layout(tp=4), model("deepseek-v3"), 8)
    Traceback (most recent call last):
    ...
    ValueError: layout tp4 spans tp × pp = 4 chips, but the deployment has 8; choose sizes whose product is 8
    >>> check_layout(Layout(tp=8, ep=8), model("llama-3.1-70b"), 8)
    Traceback (most recent call last):
    ...
    ValueError: ep 8 needs a mixture of experts; Llama-3.1-70B is dense (use ep 1)
    """
    if layout.ideal:
        return layout
    chips = layout.tp * layout.pp
    if chips != gpus:
        raise ValueError(
            f"layout {layout.key} spans tp × pp = {chips} chips, but the deployment has {gpus}; "
            f"choose sizes whose product is {gpus}"
        )
    if layout.ep > 1:
        if not m.is_moe:
            raise ValueError(f"ep {layout.ep} needs a mixture of experts; {m.name} is dense (use ep 1)")
        if layout.tp % layout.ep:
            raise ValueError(f"ep {layout.ep} must divide tp {layout.tp} (experts spread within a stage's chips)")
        if layout.ep > m.routed_experts:
            raise ValueError(f"ep {layout.ep} is more than {m.name}'s {m.routed_experts} routed experts")
    if not layout.dp_attention:
        if layout.tp > m.attention_heads:
            raise ValueError(
                f"tp {layout.tp} is more than {m.name}'s {m.attention_heads} attention heads "
                "(use DP attention to spread requests instead)"
            )
        if m.attention_heads % layout.tp:
            raise ValueError(f"tp {layout.tp} must divide {m.name}'s {m.attention_heads} attention heads")
    if layout.pp > m.layers:
        raise ValueError(f"pp {layout.pp} is more than {m.name}'s {m.layers} layers")
    return layout


#: Where each default comes from: what the engines launch (see :func:`default_layout`).
LAYOUT_SOURCES: dict[str, str] = {
    "one-node": (
        "SGLang benchmark/deepseek_v3/README.md launches DeepSeek-V3 on one 8-GPU node as "
        "'--tp 8' (DP attention is an add-on 'for high QPS scenarios'); vLLM docs/serving/parallelism_scaling.md: "
        "tensor parallel size = the GPUs in the node"
    ),
    "dense-multi-node": (
        "vLLM docs/serving/parallelism_scaling.md: 'Set tensor_parallel_size to the number of GPUs per node "
        "and pipeline_parallel_size to the number of nodes'"
    ),
    "moe-multi-node": (
        "DeepSeek's production decode (open-infra-index, day 6: 'Routed Expert EP144, MLA/Shared Expert DP144') "
        "and SGLang's 96-H100 deployment (lmsys blog 2025-05-05-large-scale-ep: DP attention with EP72 for decode)"
    ),
    "uneven": (
        "chips that do not divide the attention heads (vLLM requires heads divisible by the TP size): the "
        "widest TP that does within a node, with pipeline stages for the rest"
    ),
}


def default_layout(m: Model, gpus: int, hw: Hardware) -> tuple[Layout, str]:
    """The layout the major engines launch for ``m`` on ``gpus`` chips, and which :data:`LAYOUT_SOURCES` case it is.

    Within one scale-up domain: TP over every chip. Across domains, a dense
    model runs TP over each domain and PP across them; a mixture of experts
    runs DP attention with EP over every chip. Where the chips do not divide
    the heads, the widest TP that does within a domain, and PP for the rest.

    >>> from roofline.presets import hardware, model
    >>> default_layout(model("deepseek-v3"), 8, hardware("h200"))[0].key
    'tp8'
    >>> default_layout(model("deepseek-v3"), 144, hardware("h800"))[0].key
    'tp144-ep144-dpa'
    >>> default_layout(model("llama-3.1-405b"), 16, hardware("h100-sxm"))[0].key
    'tp8-pp2'
    """
    count = check_whole_number("gpus", gpus)
    domain = max(1, hw.scale_up_chips)
    if count > domain and m.is_moe and count <= m.routed_experts:
        return Layout(tp=count, ep=count, dp_attention=True), "moe-multi-node"
    widest = min(count, domain, m.attention_heads)
    tp = next(t for t in range(widest, 0, -1) if count % t == 0 and m.attention_heads % t == 0)
    pp = count // tp
    if pp > m.layers:
        return IDEAL, "uneven"
    if tp == count:
        return Layout(tp=tp), "one-node"
    return Layout(tp=tp, pp=pp), ("dense-multi-node" if count > domain and tp == domain else "uneven")


# ---------------------------------------------------------------- what is split and what is copied


def routed_params(m: Model) -> float:
    """Parameters in routed experts, ``(N_total − N_active) / (1 − k/E)``.

    Derived rather than looked up: the parameters a token skips are exactly
    the ``(1 − k/E)`` share of the routed experts it does not pick, so
    ``N_total − N_active = R · (1 − k/E)``. Capped at ``N_total`` (figures
    with ``N_active < N_total · k/E`` would make it larger). 0 for a dense model.

    >>> from roofline.presets import model
    >>> round(routed_params(model("deepseek-v3")) / 1e9, 1)
    654.5
    """
    if not m.is_moe:
        return 0.0
    skipped = m.total_params - m.active_params
    return min(skipped / (1.0 - m.experts_per_token / m.routed_experts), m.total_params)


def shared_params(m: Model) -> float:
    """Parameters outside the routed experts (attention, shared experts, dense FFNs, embeddings): ``N_total − R``.

    >>> from roofline.presets import model
    >>> round(shared_params(model("deepseek-v3")) / 1e9, 1)
    16.5
    """
    return m.total_params - routed_params(m)


def kv_copies(layout: Layout, m: Model) -> float:
    """How many times each sequence's KV is held (and read) across the chips: 1 for an even split.

    MLA under TP: ``tp`` (every chip holds the whole latent). GQA under TP:
    each chip holds ``max(1, ⌈kv_heads / tp⌉)`` heads, so
    ``tp · heads per chip / kv_heads`` copies. DP attention and the ideal
    split: 1. Pipeline stages hold different layers, so they copy nothing.

    >>> from roofline.presets import model
    >>> kv_copies(Layout(tp=8), model("llama-3.1-70b")), kv_copies(Layout(tp=4), model("qwen3-235b-a22b"))
    (1.0, 1.0)
    """
    if layout.ideal or layout.dp_attention or layout.tp == 1:
        return 1.0
    if m.attention == "mla":
        return float(layout.tp)
    heads = m.kv_heads or 1
    per_chip = max(1, math.ceil(heads / layout.tp))
    return layout.tp * per_chip / heads


def copied_params(layout: Layout, m: Model) -> float:
    """Parameters held beyond one copy, over all the chips (0 for an even split).

    DP attention copies every weight outside the routed experts onto each of
    a stage's ``tp`` chips: ``(tp − 1) · (N_total − R)``. GQA with more TP
    chips than KV heads copies each head's K and V projections as often as
    its cache: ``(copies − 1) · layers · hidden · 2 · kv_heads · head_dim``.

    >>> from roofline.presets import model
    >>> round(copied_params(Layout(tp=8, ep=8, dp_attention=True), model("deepseek-v3")) / 1e9, 1)
    115.8
    >>> copied_params(Layout(tp=16), model("llama-3.1-70b")) / 1e9
    1.34217728
    """
    if layout.ideal:
        return 0.0
    if layout.dp_attention:
        return (layout.tp - 1) * shared_params(m)
    extra = kv_copies(layout, m) - 1.0
    if extra <= 0 or m.attention == "mla" or m.hidden_size is None:
        return 0.0
    return extra * m.layers * m.hidden_size * 2 * (m.kv_heads or 0) * (m.head_dim or 0)


def micro_batches(layout: Layout, batch: float) -> float:
    """Micro-batches a step runs through the pipeline, ``m = min(B, pp)`` (1 without PP).

    >>> micro_batches(Layout(tp=8, pp=2), 1), micro_batches(Layout(tp=8, pp=2), 64)
    (1, 2)
    """
    if layout.ideal or layout.pp == 1:
        return 1
    return min(batch, layout.pp)


def busy_fraction(layout: Layout, batch: float) -> float:
    """Share of the chips at work in a step, ``m / pp``: below 1 only in a pipeline's bubble.

    >>> busy_fraction(Layout(tp=8, pp=4), 2), busy_fraction(Layout(tp=8), 2)
    (0.5, 1.0)
    """
    if layout.ideal or layout.pp == 1:
        return 1.0
    return micro_batches(layout, batch) / layout.pp


# ---------------------------------------------------------------- collectives


@dataclass(frozen=True, slots=True, kw_only=True)
class Collective:
    """One kind of collective a decode step runs, and its size.

    Args:
        name: what it is (``"TP all-reduce"``, ``"EP dispatch"``, ...).
        kind: ``"all-reduce"``, ``"all-to-all"`` or ``"send"``.
        count: how many a token's pass through the model runs.
        chips: chips in each one.
        message_bytes: bytes each chip contributes to one (the hidden
            states of the micro-batch it holds), BF16 unless stated.
    """

    name: str
    kind: str
    count: int
    chips: int
    message_bytes: float

    def as_dict(self) -> dict[str, float | int | str]:
        """JSON-ready fields, in order (all plain values)."""
        return asdict(self)


#: Bytes per activation element a collective moves (BF16).
ACTIVATION_BYTES = 2.0


def collectives(
    layout: Layout, m: Model, batch: float, dispatch_bytes: float = ACTIVATION_BYTES
) -> tuple[Collective, ...]:
    """The collectives one decode step of B sequences runs under ``layout``.

    Per micro-batch of ``B / m`` sequences, each ``hidden`` wide:

    * TP attention: an all-reduce after attention in every layer;
    * TP FFN (dense and MoE layers alike): an all-reduce after the FFN;
    * DP attention with EP: a dispatch (``k`` copies of each token, in
      ``dispatch_bytes`` per element: FP8 is 1) and a combine per MoE layer,
      all-to-all over the ``ep`` chips; with DP attention and no EP, the MoE
      layer's all-gather and reduce-scatter move an all-reduce's bytes (the
      dense layers' FFNs are copied with the attention, so they send nothing);
    * PP: ``pp − 1`` hand-offs of the hidden states.

    The ideal split and one chip run none.

    >>> from roofline.presets import model
    >>> [(c.name, c.count) for c in collectives(Layout(tp=8), model("deepseek-v3"), 64)]
    [('TP all-reduce after attention', 61), ('TP all-reduce after the FFN', 61)]
    >>> [(c.name, c.count) for c in collectives(Layout(tp=8, ep=8, dp_attention=True), model("deepseek-v3"), 64)]
    [('EP dispatch', 58), ('EP combine', 58)]
    """
    if layout.ideal or layout.tp * layout.pp == 1:
        return ()
    hidden = m.hidden_size
    if hidden is None:
        raise ValueError(f"{m.name} has no hidden_size, so its collectives cannot be sized")
    per_micro_batch = batch / micro_batches(layout, batch)
    message = per_micro_batch * hidden * ACTIVATION_BYTES
    moe_layers = m.layers - m.dense_layers if m.is_moe else 0
    out: list[Collective] = []
    tp = layout.tp
    if tp > 1 and not layout.dp_attention:
        for after in ("attention", "the FFN"):
            out.append(
                Collective(
                    name=f"TP all-reduce after {after}",
                    kind="all-reduce",
                    count=m.layers,
                    chips=tp,
                    message_bytes=message,
                )
            )
    elif tp > 1 and moe_layers:
        # DP attention: each chip holds B / tp of the micro-batch, and runs every
        # non-expert weight itself (copied), so only the MoE layers talk.
        if layout.ep > 1:
            sent = per_micro_batch / tp * m.experts_per_token * hidden
            for name, element_bytes in (("EP dispatch", dispatch_bytes), ("EP combine", ACTIVATION_BYTES)):
                out.append(
                    Collective(
                        name=name,
                        kind="all-to-all",
                        count=moe_layers,
                        chips=layout.ep,
                        message_bytes=sent * element_bytes,
                    )
                )
        else:
            out.append(
                Collective(
                    name="DP-attention all-gather and reduce-scatter around the MoE",
                    kind="all-reduce",
                    count=moe_layers,
                    chips=tp,
                    message_bytes=message,
                )
            )
    if layout.pp > 1:
        out.append(Collective(name="PP hand-off", kind="send", count=layout.pp - 1, chips=2, message_bytes=message))
    return tuple(out)
