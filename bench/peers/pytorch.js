// PyTorch on the CPU as a peer: torch runs in Python, so its cases are timed in a Python child
// process (./pytorch_peer.py) that takes part in the interleaved rounds like a native worker: the
// runner asks it for one round at a time. Used when some Python interpreter can `import torch`:
// $SELU_BENCH_PYTHON, then `python3` on PATH, then /usr/bin/python3 (a distribution's torch is often
// installed for the system interpreter only); otherwise skipped, saying what each one answered.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const NAME = 'PyTorch';
const SCRIPT = path.join(__dirname, 'pytorch_peer.py');
// The selu-kernels ops torch has an equivalent of (pytorch_peer.py says which call each is).
const OPS = ['selu', 'alphaDropout', 'seluAlphaDropout', 'moments'];

/** The first interpreter that imports torch: { python, version }, or throws a skip Error with why. */
function findPython() {
  const { skip } = require('./index');
  const candidates = [...new Set([process.env.SELU_BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean))];
  const why = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120000 });
    if (r.status === 0) return { python, version: r.stdout.trim() };
    const said = r.error ? r.error.code || r.error.message : (r.stderr || '').trim().split('\n').pop();
    why.push(`${python}: ${said || `exit ${r.status}`}`);
  }
  throw skip(`no Python interpreter here imports torch (${why.join('; ')}); set SELU_BENCH_PYTHON to one that does`);
}

/** The Python child: one request at a time, one JSON line back. */
class TorchProcess {
  constructor(python) {
    this.child = spawn(python, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.stderr = '';
    this.child.stderr.on('data', (b) => { this.stderr += b; });
    this.waiting = null;
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      const w = this.waiting;
      this.waiting = null;
      if (w) w.resolve(JSON.parse(line));
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      if (this.waiting) this.waiting.reject(new Error(`the PyTorch process exited (${signal || code}): ${this.stderr.trim().split('\n').slice(-2).join(' / ')}`));
      this.waiting = null;
    });
  }

  async request(message) {
    if (this.exited) throw new Error('the PyTorch process is not running');
    const answer = await new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
    });
    if (answer.type === 'error') throw new Error(`PyTorch: ${answer.message}`);
    return answer;
  }

  close() {
    if (!this.exited) this.child.kill();
  }
}

/**
 * Starts the peer for `plan` and the selected ops: returns an executor for the runner
 * ({ name, descs, round(timing, onCase), apply(x), accuracyLabel, close() }), or throws a skip Error.
 * describe(op, fields) makes a case's plain-data description (bench/cases.js).
 */
async function start(plan, selected, describe, dtypesFor) {
  const { skip } = require('./index');
  const { python, version } = findPython();
  const ops = selected.filter((o) => OPS.includes(o.name));
  if (!ops.length) throw skip(`none of the selected ops has a torch equivalent (it has ${OPS.join(', ')})`);
  const descs = [];
  for (const op of ops) {
    for (const dtype of dtypesFor(op, plan.dtypes)) {
      for (const n of plan.sizes) {
        for (const threads of plan.threads) {
          descs.push(describe(op, {
            backend: 'pytorch', variant: `torch ${version}, ${threads} thread${threads > 1 ? 's' : ''}`, simd: null, threads, mode: 'sync', dtype, n,
          }));
        }
      }
    }
  }
  const proc = new TorchProcess(python);
  let ready;
  try {
    ready = await proc.request({ type: 'init', cases: descs.map((d) => ({ op: d.op, dtype: d.dtype, n: d.n, threads: d.threads })) });
  } catch (error) {
    proc.close();
    throw error;
  }
  return {
    name: NAME,
    version: `torch ${ready.version} (${python}; selu as ${ready.seluCall})`,
    descs,
    async round(timing, onCase) {
      const { results } = await proc.request({ type: 'round', timing });
      for (const d of descs) onCase(d);
      return results;
    },
    async apply(x) {
      const { y } = await proc.request({ type: 'selu', x: Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64') });
      const b = Buffer.from(y, 'base64');
      return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    },
    accuracyLabel: `torch ${ready.version} (torch.selu)`,
    backend: 'pytorch',
    async moments(x) {
      const { mean, variance } = await proc.request({ type: 'moments', x: Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64') });
      return [mean, variance];
    },
    momentsLabel: `torch ${ready.version} (torch.var_mean, float32)`,
    close: () => proc.close(),
  };
}

module.exports = { name: NAME, backends: ['pytorch'], start, findPython };
