#!/usr/bin/env node
// Joins bench.mjs's and torch_compare.py's JSON (same GPU, same run) into one table:
//   node bench/gpu/report.mjs bench.json torch.json [--md]
// For each size: selu-kernels vs PyTorch for selu, selu + alpha-dropout (fused vs PyTorch's chain) and
// moments vs var_mean, with the speed-ups; the fused op's target is ≥ 5× the chain at 2^28.
import { readFileSync } from 'node:fs';

const [benchFile, torchFile] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const ours = JSON.parse(readFileSync(benchFile, 'utf8'));
const torch = JSON.parse(readFileSync(torchFile, 'utf8'));
if (ours.device !== torch.device) console.log(`WARNING: different devices: ${ours.device} vs ${torch.device}`);
console.log(`GPU ${ours.device}; PyTorch ${torch.torch} (CUDA ${torch.cuda})`);
const head = ['n', 'copy GB/s (ours / torch)', 'selu ms (ours / torch)', 'selu+alpha-dropout ms (fused / torch chain)', 'speed-up', 'moments ms (ours / torch var_mean)'];
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map(() => '---').join('|')}|`);
let fusedOk = null;
for (const r of torch.runs) {
  const o = ours.runs.find((x) => x.dtype === 'float32' && x.n === r.n);
  if (!o) continue;
  const speed = r.selu_alpha_dropout_chain_ms / o.ops.seluAlphaDropout.ms;
  if (r.n === 2 ** 28) fusedOk = speed >= 5;
  console.log(`| 2^${Math.log2(r.n)} | ${o.copyGBs.toFixed(0)} / ${r.copy_GBs.toFixed(0)} | ${o.ops.selu.ms.toFixed(4)} / ${r.selu_ms.toFixed(4)} | `
    + `${o.ops.seluAlphaDropout.ms.toFixed(4)} / ${r.selu_alpha_dropout_chain_ms.toFixed(4)} | ${speed.toFixed(1)}× | `
    + `${o.ops.moments.ms.toFixed(4)} / ${r.var_mean_ms.toFixed(4)} |`);
}
if (fusedOk !== null) console.log(`${fusedOk ? 'PASS' : 'MISS'} fused seluAlphaDropout ≥ 5× PyTorch's alpha_dropout(selu(x)) at 2^28`);
