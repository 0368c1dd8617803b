"""Fine-tune all-MiniLM-L6-v2 as a 4-way stance cross-encoder on the public data (CPU).

    python -m verify.stance.training.train_cross --out models/stance-cross [--max-steps N] [--resume]

Data, splits and class/dataset weights are the sklearn head's (``mix.DEFAULT_MIX``, records
read through its cache, ``data.split_role``), so the two models' held-out numbers compare. Each
step draws a batch with probability ∝ those weights; draws are length-bucketed (less padding).
Checkpoints (model + optimiser + step) go to ``--ckpt-dir`` every ``--ckpt-every`` steps;
``--resume`` continues from the last one. Each step's dropout is seeded by (seed, step), so a
resumed run follows the same path as an uninterrupted one.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from verify.atomic import write_text
from verify.labels import (
    CONTRADICTION,
    LABEL_INDEX,
)
from verify.offline import go_offline
from verify.stance.cross_encoder import (
    WEIGHTS,
    CrossEncoder,
    CrossEncoderStanceModel,
    base_model_path,
    tokenize,
)
from verify.stance.training.card_cross import NOTES, write_model_card
from verify.stance.training.cross_data import load_jsonl, load_public, mix_arg, swappable
from verify.stance.training.data import Record, split_role
from verify.stance.training.eval_cross import READOUTS, evaluate
from verify.stance.training.mix import DEFAULT_MIX
from verify.stance.training.seeds import seed_gold_check
from verify.stance.training.weighting import sample_weights

REPO = Path(__file__).resolve().parents[3]
log = logging.getLogger("train_cross")


def batch_plan(
    weights: np.ndarray, lengths: np.ndarray, steps: int, batch: int, seed: int, bucket: int = 16
) -> np.ndarray:
    """(steps, batch) row indices drawn ∝ ``weights``; within each run of ``bucket`` batches
    rows are sorted by length (similar lengths share a batch), then batch order is shuffled."""
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(weights), size=steps * batch, p=weights / weights.sum())
    out = []
    for s in range(0, len(idx), batch * bucket):
        chunk = idx[s : s + batch * bucket]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        bs = [chunk[i : i + batch] for i in range(0, len(chunk), batch)]
        out += [bs[i] for i in rng.permutation(len(bs))]
    return np.stack(out[:steps])


# --------------------------------------------------------------------------- training


def save_ckpt(path: Path, model, opt, sched, step: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save(
        {
            "model": model.state_dict(),
            "opt": opt.state_dict(),
            "sched": sched.state_dict(),
            "step": step,
        },
        tmp,
    )
    tmp.replace(path)  # atomic: a kill mid-save leaves the previous checkpoint intact


def fit(
    recs: Sequence[Record],
    weights: np.ndarray,
    tokenizer,
    ckpt: Path,
    steps: int,
    batch: int = 16,
    max_len: int = 128,
    lr: float = 5e-5,
    head_lr: float = 1e-3,
    seed: int = 0,
    resume: bool = False,
    ckpt_every: int = 200,
    stop_after: int | None = None,
    init: Path | None = None,
    swap: np.ndarray | None = None,
    device: str = "cpu",
    freeze_layers: int = 0,
) -> CrossEncoder:
    torch.manual_seed(seed)
    model = CrossEncoder.from_base()
    if init is not None:  # continue from a trained model (a second stage with a new mix)
        from safetensors.torch import load_file

        model.load_state_dict(load_file(str(Path(init) / WEIGHTS)))
        log.info("initialised from %s", init)
    # Word embeddings stay frozen: a few thousand pairs cannot improve 30k rows of vocabulary, and
    # skipping their gradient and Adam state saves ~10% of a CPU step.
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    # Lower layers frozen (``--freeze-layers``): on a CPU each frozen layer skips its backward.
    for layer in model.encoder.encoder.layer[:freeze_layers]:
        layer.requires_grad_(False)
    model.to(device)
    lengths = np.array(
        [
            len(x)
            for x in tokenizer(
                [r.a for r in recs], [r.b for r in recs], truncation=True, max_length=max_len
            )["input_ids"]
        ]
    )
    plan = batch_plan(weights, lengths, steps, batch, seed)
    head = {id(p) for p in model.head.parameters()}
    opt = torch.optim.AdamW(
        [
            {
                "params": [p for p in model.parameters() if id(p) not in head and p.requires_grad],
                "lr": lr,
            },
            {"params": list(model.head.parameters()), "lr": head_lr},
        ],
        weight_decay=0.01,
    )
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )
    start = 0
    if resume and ckpt.exists():
        state = torch.load(ckpt, map_location=device, weights_only=True)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        start = int(state["step"])
        log.info("resumed from %s at step %d", ckpt, start)
    y_all = torch.tensor([LABEL_INDEX[r.label] for r in recs])
    model.train()
    t0, loss_avg = time.perf_counter(), None
    end = min(steps, stop_after or steps)  # stop_after: an interruption, for resume tests
    for step in range(start, end):
        torch.manual_seed(seed * 1_000_003 + step)  # dropout independent of resume point
        idx = plan[step]
        a, b = [recs[i].a for i in idx], [recs[i].b for i in idx]
        if swap is not None:  # both orders of order-free rows, the draw seeded by the step
            flip = swap[idx] & (np.random.default_rng([seed, step]).random(len(idx)) < 0.5)
            a, b = (
                [y if f else x for x, y, f in zip(a, b, flip, strict=True)],
                [x if f else y for x, y, f in zip(a, b, flip, strict=True)],
            )
        enc = {k: v.to(device) for k, v in tokenize(tokenizer, a, b, max_len).items()}
        # bf16 autocast on a GPU (the "several epochs in 10 minutes" run); fp32 on a CPU.
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.startswith("cuda")):
            logits = model(**enc)
        loss = torch.nn.functional.cross_entropy(logits.float(), y_all[idx].to(device))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        loss_avg = loss.item() if loss_avg is None else 0.98 * loss_avg + 0.02 * loss.item()
        done = step + 1
        if done % 20 == 0 or done == steps:
            rate = (done - start) / (time.perf_counter() - t0)
            log.info(
                "step %d/%d loss %.4f (avg %.4f) %.2f steps/s eta %.0fs",
                done,
                steps,
                loss.item(),
                loss_avg,
                rate,
                (steps - done) / rate,
            )
        if done % ckpt_every == 0 or done == end:
            save_ckpt(ckpt, model, opt, sched, done)
    return model.to("cpu").eval()  # the shipped weights run on a CPU


# --------------------------------------------------------------------------- command


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m verify.stance.training.train_cross",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--out", required=True, help="model directory to write")
    p.add_argument("--max-steps", type=int, default=650)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--max-len", type=int, default=128)
    p.add_argument("--lr", type=float, default=5e-5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--resume", action="store_true")
    p.add_argument("--ckpt-dir", default=str(REPO / "checkpoints" / "stance-cross"))
    p.add_argument("--ckpt-every", type=int, default=200)
    p.add_argument("--records", type=Path, help="train on this JSONL (a, b, label) instead")
    p.add_argument("--dev-max", type=int, default=1500, help="dev pairs used for calibration")
    p.add_argument("--no-eval", action="store_true")
    p.add_argument("--stop-after", type=int, help=argparse.SUPPRESS)  # simulate a kill (tests)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--init", type=Path, help="start from this model directory, not the base")
    p.add_argument(
        "--device",
        default="cuda" if torch.cuda.is_available() else "cpu",
        help="where to train (default: cuda when there is one); the model is saved "
        "for the CPU either way",
    )
    p.add_argument(
        "--freeze-layers",
        type=int,
        default=0,
        metavar="N",
        help="freeze the N lowest transformer layers (cheaper steps on a CPU)",
    )
    p.add_argument(
        "--mix",
        type=mix_arg,
        help="'v2' (stance model 2: news stance + NLI sets, training.mix.MIX_V2) or a "
        "JSON data mix replacing mix.DEFAULT_MIX",
    )
    p.add_argument(
        "--no-noncommercial",
        action="store_true",
        help="leave out the non-commercial sets (ANLI, SICK)",
    )
    p.add_argument(
        "--both-orders",
        action="store_true",
        help="train order-free rows in both orders (the engine then reads a pair once)",
    )
    p.add_argument("--log", default=None, help="log file (default: <ckpt-dir>/train.log)")
    args = p.parse_args(argv)

    go_offline()  # before transformers is imported: it reads the flags once
    torch.set_num_threads(args.threads)
    ckpt_dir = Path(args.ckpt_dir)
    ckpt_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(message)s",
        handlers=[
            logging.StreamHandler(sys.stderr),
            logging.FileHandler(args.log or ckpt_dir / "train.log"),
        ],
        force=True,
    )
    from transformers import AutoTokenizer

    t0 = time.perf_counter()
    mix = args.mix or DEFAULT_MIX
    if args.no_noncommercial:
        from verify.stance.training.mix import without_noncommercial

        mix = without_noncommercial(mix)
    recs, names = load_jsonl(args.records) if args.records else load_public(args.seed, mix)
    roles = np.array([split_role(r.group, args.seed) for r in recs])
    if args.records:
        roles[:] = "fit"
    labels = np.array([r.label for r in recs])
    fit_idx = np.flatnonzero(roles == "fit")
    shares = {d: c["share"] for d, c in mix.items()} | {"jsonl": 1.0}
    weights = sample_weights(labels[fit_idx], names[fit_idx], shares)
    log.info(
        "fit %d dev %d test %d pairs; %d steps x %d",
        len(fit_idx),
        (roles == "dev").sum(),
        (roles == "test").sum(),
        args.max_steps,
        args.batch_size,
    )
    tok = AutoTokenizer.from_pretrained(base_model_path())
    net = fit(
        [recs[i] for i in fit_idx],
        weights,
        tok,
        ckpt_dir / "last.pt",
        args.max_steps,
        args.batch_size,
        args.max_len,
        args.lr,
        seed=args.seed,
        resume=args.resume,
        ckpt_every=args.ckpt_every,
        stop_after=args.stop_after,
        init=args.init,
        swap=swappable([recs[i] for i in fit_idx], names[fit_idx]) if args.both_orders else None,
        device=args.device,
        freeze_layers=args.freeze_layers,
    )
    t_train = time.perf_counter() - t0
    model = CrossEncoderStanceModel(net, tok, "", max_len=args.max_len, threads=args.threads)
    metrics: dict = {
        "steps": args.max_steps,
        "batch_size": args.batch_size,
        "max_len": args.max_len,
        "lr": args.lr,
        "seed": args.seed,
        "n_fit": len(fit_idx),
        "mix": mix,
        "init": str(args.init) if args.init else None,
        "both_orders": args.both_orders,
        "noncommercial": not args.no_noncommercial,
        "seconds_train": round(t_train, 1),
    }
    if not args.no_eval and not args.records:
        metrics |= evaluate(model, recs, names, roles, labels, args.dev_max, args.seed)
    out = Path(args.out)
    temps = {k: v["temperature"] for k, v in metrics.get("dev_choice", {}).items()}
    model.save(
        out,
        extra={
            "trained": {k: metrics[k] for k in ("steps", "batch_size", "lr", "seed")},
            "temperatures": temps,
        },
    )
    metrics["version"] = model.version
    if not args.no_eval and not args.records:
        metrics["seeds"] = seed_gold_check(model)
        log_seeds(metrics["seeds"])
    metrics["seconds_total"] = round(time.perf_counter() - t0, 1)
    write_text(out / "metrics.json", json.dumps(metrics, indent=2) + "\n")
    if "heldout" in metrics:
        write_model_card(out, metrics, NOTES)
    for d, m in metrics.get("heldout", {}).items():
        log.info(
            "%-14s n=%5d macroF1=%.3f acc=%.3f ece=%.3f %s",
            d,
            m["n"],
            m["macro_f1"],
            m["accuracy"],
            m["ece"],
            {k: m[k] for k in READOUTS if k in m},
        )
    log.info("saved %s to %s in %.0fs", model.version, out, metrics["seconds_total"])
    return 0


def log_seeds(result: dict) -> None:
    if "summary" not in result:
        log.info("seed check: %s", result)
        return
    for pid, p in result["pairs"].items():
        log.info(
            "%s gold=%-13s argmax=%-13s P(contra)=%.3f rank=%s",
            pid,
            p["gold"],
            p["argmax"],
            p["proba"][CONTRADICTION],
            p["rank"],
        )
    log.info("seed summary: %s", json.dumps(result["summary"]))


if __name__ == "__main__":
    sys.exit(main())
