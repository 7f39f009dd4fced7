#!/usr/bin/env python3
"""PyTorch side of the GPU benchmark (bench/gpu/bench.mjs measures selu-kernels): the same float32 sizes
2^20 … 2^28 on the same GPU, timed with CUDA events (best of three batches of >= 50 ms after warm-up).

  python3 bench/gpu/torch_compare.py [--out torch.json] [--sizes 20,22,24,26,28]

Measures torch.selu(x), F.alpha_dropout(torch.selu(x), p=0.1, training=True) (the chain the fused
seluAlphaDropout replaces), F.alpha_dropout alone, torch.var_mean(x) (whole array), and, as baselines,
the device-to-device copy bandwidth (y.copy_(x)) and the read bandwidth (x.sum()). Prints a table and
writes JSON (bench/gpu/report.mjs joins it with bench.mjs's output).
"""
import argparse
import json
import sys

import torch
import torch.nn.functional as F


def time_ms(fn, min_ms=50.0, max_iters=4096):
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    iters = 1
    while True:
        start.record()
        for _ in range(iters):
            fn()
        stop.record()
        stop.synchronize()
        ms = start.elapsed_time(stop)
        if ms >= min_ms or iters >= max_iters:
            best = ms / iters
            for _ in range(2):
                start.record()
                for _ in range(iters):
                    fn()
                stop.record()
                stop.synchronize()
                best = min(best, start.elapsed_time(stop) / iters)
            return best
        iters = min(max_iters, max(iters * 2, int(iters * 60 / max(ms, 1e-3)) + 1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out")
    p.add_argument("--sizes", default="20,22,24,26,28")
    a = p.parse_args()
    if not torch.cuda.is_available():
        print("NO GPU AVAILABLE for PyTorch", file=sys.stderr)
        sys.exit(2)
    dev = torch.device("cuda")
    props = torch.cuda.get_device_properties(dev)
    out = {"device": props.name, "torch": torch.__version__, "cuda": torch.version.cuda, "runs": []}
    torch.manual_seed(0)
    for log2 in [int(s) for s in a.sizes.split(",")]:
        n = 2 ** log2
        x = torch.empty(n, device=dev, dtype=torch.float32).uniform_(-3, 3)
        y = torch.empty_like(x)
        r = {"n": n}
        r["copy_ms"] = time_ms(lambda: y.copy_(x))
        r["copy_GBs"] = 2 * 4 * n / r["copy_ms"] / 1e6
        r["read_ms"] = time_ms(lambda: x.sum())
        r["read_GBs"] = 4 * n / r["read_ms"] / 1e6
        r["selu_ms"] = time_ms(lambda: torch.selu(x))
        s = torch.selu(x)
        r["alpha_dropout_ms"] = time_ms(lambda: F.alpha_dropout(s, p=0.1, training=True))
        r["selu_alpha_dropout_chain_ms"] = time_ms(lambda: F.alpha_dropout(torch.selu(x), p=0.1, training=True))
        r["var_mean_ms"] = time_ms(lambda: torch.var_mean(x))
        out["runs"].append(r)
        print(f"2^{log2}: copy {r['copy_GBs']:.0f} GB/s, read {r['read_GBs']:.0f} GB/s, selu {r['selu_ms']:.4f} ms, "
              f"alpha_dropout(selu) {r['selu_alpha_dropout_chain_ms']:.4f} ms, var_mean {r['var_mean_ms']:.4f} ms", flush=True)
        del x, y, s
        torch.cuda.empty_cache()
    text = json.dumps(out, indent=2)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
