#!/usr/bin/env python3
"""PyTorch (CPU) as a selu-bench peer: a child process of bench/peers/pytorch.js that times torch's
equivalents of the selu-kernels ops on its own tensors, one interleaved round at a time when asked.

Protocol: one JSON object per line on stdin, one answer per line on stdout.
  {"type": "init", "cases": [{"op", "dtype", "n", "threads"}...]}  -> {"type": "ready", "version", "ops"}
  {"type": "round", "timing": {"maxTime", "minTime"}}              -> {"type": "round-done", "results": [...]}
      each result {"seconds", "rme", "samples", "wall"} (median seconds per call, as benchmark.js
      would report it) or {"error": "..."}
  {"type": "selu", "x": base64 float32}                            -> {"type": "selu", "y": base64 float32}
  {"type": "moments", "x": base64 float32}                         -> {"type": "moments", "mean", "variance"}

The calls are what a PyTorch user writes, with an output tensor where torch has one:
  selu              torch._C._nn.elu(x, alpha, scale, 1, out=y) (torch.selu's own kernel, no allocation)
  alphaDropout      F.alpha_dropout(x, p, training=True)
  seluAlphaDropout  F.alpha_dropout(torch.selu(x), p, training=True)
  moments           torch.var_mean(x, unbiased=False)
"""
import base64
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

RATE = 0.1
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
T95 = [float("nan"), 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228]
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def has_elu_out():
    try:
        x = torch.zeros(4)
        torch._C._nn.elu(x, SELU_ALPHA, SELU_SCALE, 1.0, out=torch.empty(4))
        return True
    except Exception:  # an older or newer torch without this overload: torch.selu allocates
        return False


ELU_OUT = has_elu_out()


def selu_call(x, y):
    if ELU_OUT:
        return lambda: torch._C._nn.elu(x, SELU_ALPHA, SELU_SCALE, 1.0, out=y)
    return lambda: torch.selu(x)


def make_call(op, x, y):
    if op == "selu":
        return selu_call(x, y)
    if op == "alphaDropout":
        return lambda: F.alpha_dropout(x, RATE, training=True)
    if op == "seluAlphaDropout":
        return lambda: F.alpha_dropout(torch.selu(x), RATE, training=True)
    if op == "moments":
        return lambda: torch.var_mean(x, unbiased=False)
    return None


OPS = ["selu", "alphaDropout", "seluAlphaDropout", "moments"]


def inputs(dtype, n, cache={}):
    key = (dtype, n)
    if key not in cache:
        g = torch.Generator().manual_seed(1)
        u = torch.rand(n, generator=g, dtype=torch.float64) + torch.rand(n, generator=g, dtype=torch.float64)
        cache[key] = ((u - 1) * 2.45).to(DTYPES[dtype]), torch.empty(n, dtype=DTYPES[dtype])
    return cache[key]


def time_case(fn, threads, timing):
    """Samples of k calls, k grown until a sample lasts minTime; samples until maxTime has passed."""
    start = time.perf_counter()
    torch.set_num_threads(threads)
    fn()
    k = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(k):
            fn()
        dt = time.perf_counter() - t0
        if dt >= timing["minTime"] or k >= 1 << 20:
            break
        k *= 2 if dt <= 0 else max(2, min(100, int(timing["minTime"] / dt * 1.2) + 1))
    per_call = [dt / k]
    while time.perf_counter() - start < timing["maxTime"] or len(per_call) < 5:
        t0 = time.perf_counter()
        for _ in range(k):
            fn()
        per_call.append((time.perf_counter() - t0) / k)
        if len(per_call) >= 200:
            break
    mean = statistics.fmean(per_call)
    sd = statistics.stdev(per_call) if len(per_call) > 1 else 0.0
    rme = 100 * T95[min(len(per_call) - 1, 10)] * sd / (len(per_call) ** 0.5) / mean
    return {"seconds": statistics.median(per_call), "rme": rme, "samples": len(per_call),
            "wall": time.perf_counter() - start}


def main():
    cases = []
    for line in sys.stdin:
        m = json.loads(line)
        if m["type"] == "init":
            cases = []
            for c in m["cases"]:
                x, y = inputs(c["dtype"], c["n"])
                cases.append((make_call(c["op"], x, y), c["threads"]))
            answer = {"type": "ready", "version": torch.__version__, "ops": OPS,
                      "seluCall": "torch._C._nn.elu(out=)" if ELU_OUT else "torch.selu"}
        elif m["type"] == "round":
            results = []
            for fn, threads in cases:
                try:
                    results.append(time_case(fn, threads, m["timing"]))
                except Exception as e:  # reported per case; the others go on
                    results.append({"error": f"{type(e).__name__}: {e}"})
            answer = {"type": "round-done", "results": results}
        elif m["type"] == "selu":
            x = torch.frombuffer(bytearray(base64.b64decode(m["x"])), dtype=torch.float32)
            y = torch.selu(x)
            answer = {"type": "selu", "y": base64.b64encode(y.numpy().tobytes()).decode()}
        elif m["type"] == "moments":
            x = torch.frombuffer(bytearray(base64.b64decode(m["x"])), dtype=torch.float32)
            var, mean = torch.var_mean(x, unbiased=False)
            answer = {"type": "moments", "mean": float(mean), "variance": float(var)}
        else:
            answer = {"type": "error", "message": f"unknown message {m['type']}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
