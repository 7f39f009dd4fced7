/**
 * selu-bench (bin/selu-bench.js): --quick JSON has every field, bad options fail clearly, the chart is
 * well-formed SVG / HTML, --help and --list work, and the op registry covers every op the library exports.
 * Timings are not checked (the machine is shared); only shapes and invariants.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'selu-bench.js');

interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

async function cli(args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 << 20, timeout: 110000 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

/**
 * A small XML well-formedness check (no dependency): tags nest and match, attributes are name="value"
 * with no raw '<' and only known entity references, text has no raw '<' or stray '&'. Returns the
 * element tree.
 */
interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}
function parseXml(src: string): XmlElement {
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
  const checkText = (t: string, where: number): void => {
    for (let i = 0; i < t.length; i++) {
      if (t[i] === '<') throw new Error(`raw '<' in text near ${where}`);
      if (t[i] === '&') {
        entity.lastIndex = i;
        if (!entity.test(t)) throw new Error(`bad entity near ${where + i}: ${t.slice(i, i + 10)}`);
      }
    }
  };
  let i = 0;
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  while (i < src.length) {
    if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i);
      if (end < 0) throw new Error('unterminated <?');
      i = end + 2;
    } else if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
    } else if (src.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_][\w:.-]*)\s*>/.exec(src.slice(i));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[1]) throw new Error(`</${m[1]}> closes <${open?.name}> at ${i}`);
      i += m[0].length;
    } else if (src[i] === '<') {
      const m = /^<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(src.slice(i));
      if (!m) throw new Error(`bad start tag at ${i}: ${src.slice(i, i + 60)}`);
      const attrs: Record<string, string> = {};
      for (const a of m[2].matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]} at ${i}`);
        const value = a[2] ?? a[3];
        checkText(value, i);
        attrs[a[1]] = value;
      }
      const el: XmlElement = { name: m[1], attrs, children: [], text: '' };
      stack[stack.length - 1].children.push(el);
      if (!m[3]) stack.push(el);
      i += m[0].length;
    } else {
      const end = src.indexOf('<', i);
      const t = src.slice(i, end < 0 ? src.length : end);
      checkText(t, i);
      if (stack.length === 1 && t.trim()) throw new Error('text outside the root element');
      stack[stack.length - 1].text += t;
      i = end < 0 ? src.length : end;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1) throw new Error(`expected one root element, got ${root.children.length}`);
  return root.children[0];
}

function all(el: XmlElement, pred: (e: XmlElement) => boolean, out: XmlElement[] = []): XmlElement[] {
  if (pred(el)) out.push(el);
  for (const c of el.children) all(c, pred, out);
  return out;
}
const hasClass = (e: XmlElement, c: string): boolean => (e.attrs.class ?? '').split(/\s+/).includes(c);

/** Checks an SVG chart against the rows it was drawn from. */
function checkChart(svgText: string, rows: Row[]): void {
  const svg = parseXml(svgText);
  expect(svg.name).toBe('svg');
  expect(svg.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
  const ops = [...new Set(rows.filter((r) => r.backend !== 'roofline').map((r) => r.op))];
  const panels = all(svg, (e) => e.name === 'g' && hasClass(e, 'panel'));
  expect(panels.map((p) => p.attrs['data-op']).sort()).toEqual([...ops].sort());
  for (const p of panels) {
    const op = p.attrs['data-op'];
    expect(all(p, (e) => hasClass(e, 'x-axis'))).toHaveLength(1);
    expect(all(p, (e) => hasClass(e, 'y-axis'))).toHaveLength(1);
    // At most six lines (best native, native on 1 thread, JS loop, peers, roofline), each labelled.
    const series = all(p, (e) => e.name === 'polyline' && hasClass(e, 'series'));
    expect(rows.some((r) => r.op === op)).toBe(true);
    expect(series.length).toBeGreaterThanOrEqual(2);
    expect(series.length).toBeLessThanOrEqual(6);
    expect(all(p, (e) => e.name === 'text' && hasClass(e, 'series-label'))).toHaveLength(series.length);
    expect(all(p, (e) => e.name === 'polyline' && hasClass(e, 'roofline'))).toHaveLength(1);
    for (const s of [...series, ...all(p, (e) => hasClass(e, 'roofline'))]) {
      const pts = s.attrs.points.trim().split(/\s+/).map((q) => q.split(',').map(Number));
      for (const [x, y] of pts) {
        expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
      }
    }
  }
}

interface Row {
  op: string;
  family: string;
  backend: string;
  variant: string;
  simd: string | null;
  threads: number | null;
  mode: string;
  dtype: string;
  n: number;
  medianSeconds: number;
  rmePercent: number;
  elementsPerSecond: number;
  bytesPerElement: number;
  gbPerSecond: number;
  roofline: string | null;
  rooflineGbPerSecond: number | null;
  percentOfRoofline: number | null;
  speedupVsJs: number | null;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'selu-bench-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('selu-bench --quick', () => {
  let result: Result;
  let json: { tool: string; command: string; machine: Record<string, unknown>; rows: Row[]; skipped: { backend: string; reason: string }[];
    peers: { name: string; status: string; reason?: string }[]; accuracy: { implementation: string; nearZero: Record<string, number>; overall: Record<string, number> }[]; };
  const jsonFile = path.join(tmp, 'quick.json');
  const svgFile = path.join(tmp, 'quick.svg');

  beforeAll(async () => {
    // The default op set at --quick sizes; one run gives the JSON, the chart and the text report.
    result = await cli(['--quick', '--json', jsonFile, '--chart', svgFile]);
    if (result.code === 0) json = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  }, 120000);

  test('exits 0 and prints a table', () => {
    expect(result.stderr).not.toMatch(/Error|failed/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\| op +\| backend +\| variant +\| dtype +\| +N \| median\/call \|/);
    expect(result.stdout).toMatch(/% of roofline/);
  });

  test('no progress output when stderr is not a terminal', () => {
    expect(result.stderr).not.toMatch(/\r|\x1b\[/);
  });

  test('JSON has every field on every row', () => {
    expect(json.tool).toBe('selu-bench');
    expect(json.command).toMatch(/^selu-bench --quick/);
    for (const key of ['cpu', 'cores', 'node', 'detectedSimd', 'date']) expect(json.machine).toHaveProperty(key);
    expect(json.rows.length).toBeGreaterThan(0);
    for (const r of json.rows) {
      expect(typeof r.op).toBe('string');
      expect(typeof r.backend).toBe('string');
      expect(typeof r.variant).toBe('string');
      expect(['float32', 'float64', 'uint8']).toContain(r.dtype);
      expect(Number.isInteger(r.n) && r.n > 0).toBe(true);
      expect(r.medianSeconds).toBeGreaterThan(0);
      expect(r.rmePercent).toBeGreaterThanOrEqual(0);
      expect(r.elementsPerSecond).toBeCloseTo(r.n / r.medianSeconds, 3);
      expect(r.bytesPerElement).toBeGreaterThan(0);
      expect(r.gbPerSecond).toBeCloseTo((r.elementsPerSecond * r.bytesPerElement) / 1e9, 6);
      expect(r).toHaveProperty('percentOfRoofline');
      expect(r).toHaveProperty('speedupVsJs');
      if (r.backend !== 'roofline') {
        expect(['copy', 'read', 'write']).toContain(r.roofline);
        expect(r.percentOfRoofline).toBeGreaterThan(0);
        expect(r.percentOfRoofline).toBeCloseTo((100 * r.gbPerSecond) / (r.rooflineGbPerSecond as number), 6);
      }
    }
  });

  test('covers the default ops with native and JS rows, and rooflines for copy and read', () => {
    const ops = new Set(json.rows.map((r) => r.op));
    for (const op of ['selu', 'seluBackward', 'alphaDropout', 'seluAlphaDropout', 'moments', 'seluMoments', 'copy', 'read']) expect(ops).toContain(op);
    for (const op of ['selu', 'moments']) {
      const native = json.rows.filter((r) => r.op === op && r.backend === 'native');
      expect(native.length).toBeGreaterThan(0);
      for (const r of native) expect(r.speedupVsJs).toBeGreaterThan(0);
      expect(json.rows.some((r) => r.op === op && r.backend === 'js' && r.speedupVsJs === 1)).toBe(true);
    }
    // Bytes per element as docs/MEMORY-TRAFFIC.md counts them (float32).
    const bpe = (op: string): number => (json.rows.find((r) => r.op === op && r.dtype === 'float32') as Row).bytesPerElement;
    expect([bpe('selu'), bpe('seluBackward'), bpe('alphaDropout'), bpe('seluAlphaDropout'), bpe('moments'), bpe('seluMoments')]).toEqual([8, 12, 8, 8, 4, 8]);
    expect(json.rows.find((r) => r.op === 'moments')?.roofline).toBe('read');
  });

  test('each peer is benchmarked with its accuracy, or listed as skipped with a reason', () => {
    for (const peer of json.peers) {
      if (peer.status === 'skipped') {
        expect(peer.reason).toBeTruthy();
        expect(json.skipped.some((s) => s.backend === peer.name && s.reason === peer.reason)).toBe(true);
      } else {
        expect(peer.status).toBe('benchmarked');
      }
    }
    const peerRows = json.rows.filter((r) => !['native', 'js', 'roofline', 'cuda'].includes(r.backend));
    // PyTorch has alpha-dropout and var_mean too; the JS peers only SELU.
    for (const r of peerRows) expect(r.backend === 'pytorch' ? ['selu', 'alphaDropout', 'seluAlphaDropout', 'moments'] : ['selu']).toContain(r.op);
    const benchmarked = json.peers.filter((p) => p.status === 'benchmarked').length;
    // native + JS loop + one entry per benchmarked peer implementation
    expect(json.accuracy.length).toBeGreaterThanOrEqual(2 + benchmarked);
    for (const a of json.accuracy) {
      for (const set of [a.nearZero, a.overall]) {
        expect(set.maxUlp).toBeGreaterThanOrEqual(0);
        expect(set.maxRelError).toBeGreaterThanOrEqual(0);
      }
    }
    const native = json.accuracy.find((a) => a.implementation.startsWith('selu-kernels native'));
    expect(native?.overall.maxUlp).toBeLessThan(4);
  });

  test('CUDA is benchmarked or listed as skipped with its reason', () => {
    const cudaRows = json.rows.filter((r) => r.backend === 'cuda');
    const skipped = json.skipped.find((s) => s.backend === 'cuda');
    expect(cudaRows.length > 0 || (skipped !== undefined && skipped.reason.length > 0)).toBe(true);
    if (skipped) expect(result.stdout).toContain(`cuda (all ops): ${skipped.reason}`);
  });

  test('--chart writes a well-formed SVG with axes and a polyline per variant', () => {
    checkChart(fs.readFileSync(svgFile, 'utf8'), json.rows);
  });

  test('--from re-renders the saved run, and --chart FILE.html writes a page around the same SVG', async () => {
    const htmlFile = path.join(tmp, 'quick.html');
    const r = await cli(['--from', jsonFile, '--chart', htmlFile]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| selu ');
    const page = fs.readFileSync(htmlFile, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toMatch(/<\/html>\s*$/);
    const svg = page.slice(page.indexOf('<svg'), page.indexOf('</svg>') + '</svg>'.length);
    checkChart(svg, json.rows);
  });
});

describe('selu-bench options', () => {
  test('--json - writes only JSON to stdout', async () => {
    const r = await cli(['--quick', '--ops', 'moments', '--sizes', '1e3', '--backend', 'native,js', '--json', '-']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const ops = json.rows.map((x: Row) => x.op).sort();
    // native and JS moments; a read pass on 1 thread and on the default thread count (one if that is 1)
    expect(ops.filter((o: string) => o !== 'read')).toEqual(['moments', 'moments']);
    expect(ops).toContain('read');
  });

  test('every op in the registry runs natively (sync and async) and as a JS loop without errors', async () => {
    const r = await cli(['--quick', '--ops', 'all', '--sizes', '1,1e3', '--backend', 'native,js', '--mode', 'both', '--json', '-', '--no-accuracy']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.skipped).toEqual([]);
    const native = new Set(json.rows.filter((x: Row) => x.backend === 'native').map((x: Row) => x.op));
    expect(native).toContain('alphaDropoutMask');
    expect(native.size).toBeGreaterThanOrEqual(9);
  });

  test('--simd, --threads, --mode, --dtype select the native variants', async () => {
    const r = await cli(['--quick', '--ops', 'selu', '--sizes', '1e3', '--backend', 'native', '--simd', 'all',
      '--threads', '1,2', '--mode', 'both', '--dtype', 'float32,float64', '--json', '-', '--no-accuracy']);
    expect(r.code).toBe(0);
    const rows: Row[] = JSON.parse(r.stdout).rows.filter((x: Row) => x.backend === 'native');
    const levels = new Set(rows.map((x) => x.simd));
    expect(levels).toContain('scalar');
    expect(rows).toHaveLength(levels.size * 2 * 2 * 2);
    expect(new Set(rows.map((x) => x.mode))).toEqual(new Set(['sync', 'async']));
    expect(new Set(rows.map((x) => x.threads))).toEqual(new Set([1, 2]));
    expect(new Set(rows.map((x) => x.dtype))).toEqual(new Set(['float32', 'float64']));
  });

  test('--dtype float16,bfloat16 runs every op on 16-bit data natively beside float32, with the vs-float32 table', async () => {
    const r = await cli(['--quick', '--ops', 'all', '--sizes', '1e3', '--backend', 'native,js', '--dtype', 'float32,float16,bfloat16',
      '--mode', 'both', '--json', '-', '--no-accuracy']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.skipped).toEqual([]);
    const rows: Row[] = json.rows;
    for (const dtype of ['float16', 'bfloat16']) {
      const half = rows.filter((x) => x.backend === 'native' && x.dtype === dtype);
      expect(new Set(half.map((x) => x.op)).size).toBeGreaterThanOrEqual(8);
      expect(new Set(half.map((x) => x.mode))).toEqual(new Set(['sync', 'async']));
      const selu16 = half.find((x) => x.op === 'selu')!;
      const selu32 = rows.find((x) => x.backend === 'native' && x.dtype === 'float32' && x.op === 'selu')!;
      expect(selu16.bytesPerElement).toBe(selu32.bytesPerElement / 2);
      expect(rows.some((x) => x.backend === 'js' && x.dtype === dtype)).toBe(false);
    }
    const text = await cli(['--quick', '--ops', 'selu', '--sizes', '1e3', '--backend', 'native', '--dtype', 'float32,bfloat16', '--no-accuracy']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\| selu .*\| bfloat16 .*\|\s+[\d.]+×\s+\|/);
    expect(text.stdout).toMatch(/vs float32: 16-bit elements\/s over float32's/);
  });

  test.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--ops', 'nope'], /--ops: unknown op 'nope'; known ops: selu, /],
    [['--sizes', '0'], /--sizes: '0' is not a whole number/],
    [['--sizes', '1e3,abc'], /--sizes: 'abc'/],
    [['--dtype', 'float8'], /--dtype: unknown value 'float8'; use float32, float64, float16, bfloat16/],
    [['--simd', 'avx3'], /--simd: unknown value 'avx3'/],
    [['--threads', '0'], /--threads: '0' is not a positive whole number/],
    [['--backend', 'gpu'], /--backend: unknown value 'gpu'/],
    [['--mode', 'fast'], /--mode: unknown value 'fast'/],
    [['--rounds', '1.5'], /--rounds: '1.5'/],
    [['--chart', 'chart.png'], /--chart: 'chart.png' must end in .svg or .html/],
    [['extra'], /Unexpected argument 'extra'/],
    [['--json'], /--json/],
    [['--json', '/nonexistent-selu-bench-dir/x.json'], /--json: cannot write/],
  ])('%j fails with a clear message and exit status 2', async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).toMatch(/--help/);
    expect(r.stdout).toBe('');
  });

  test('--help describes the options', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const o of ['--ops', '--sizes', '--dtype', '--simd', '--threads', '--backend', '--mode', '--json', '--chart', '--quick', '--help']) {
      expect(r.stdout).toContain(o);
    }
  });

  test('--list names every op in the registry and the CUDA status', async () => {
    const r = await cli(['--list']);
    expect(r.code).toBe(0);
    for (const op of ['selu', 'seluBackward', 'alphaDropout', 'seluAlphaDropout', 'moments', 'seluMoments']) expect(r.stdout).toContain(`| ${op} `);
    expect(r.stdout).toMatch(/cuda \((available|unavailable)/);
  });
});

describe('the op registry', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('..') as Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const registry = require('../bench/ops') as { load(l: unknown): { name: string; async?: unknown; js?: unknown }[] };

  test('has an entry for every kernel the library exports (a function with an …Async twin)', () => {
    const names = new Set(registry.load(lib).map((o) => o.name));
    const kernels = Object.keys(lib).filter((k) => typeof lib[k] === 'function' && typeof lib[`${k}Async`] === 'function');
    expect(kernels.length).toBeGreaterThan(0);
    for (const k of kernels) expect([k, names.has(k)]).toEqual([k, true]);
  });

  test('every entry has a sync and an async call', () => {
    for (const op of registry.load(lib)) expect(typeof op.async).toBe('function');
  });
});
