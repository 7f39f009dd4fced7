/** Reading a {@link MapPoint} argument. */
import { SELU_ALPHA, SELU_SCALE } from '../constants';
import { finiteNumber, finiteProduct, positiveProduct, record } from './validate';

const MAP_POINT_KEYS: ReadonlySet<string> = new Set(['mu', 'omega', 'nu', 'tau', 'alpha', 'scale']);

/** A checked map point: z ~ N(m, v) with m = μω, v = ντ. */
export interface ParsedPoint {
  mu: number;
  omega: number;
  nu: number;
  tau: number;
  alpha: number;
  scale: number;
  m: number;
  v: number;
}

export function parseMapPoint(fn: string, p: unknown, name = 'p'): ParsedPoint {
  const o = record(fn, name, p, MAP_POINT_KEYS);
  const mu = finiteNumber(fn, `${name}.mu`, o.mu);
  const omega = finiteNumber(fn, `${name}.omega`, o.omega);
  const nu = finiteNumber(fn, `${name}.nu`, o.nu);
  const tau = finiteNumber(fn, `${name}.tau`, o.tau);
  const alpha = finiteNumber(fn, `${name}.alpha`, o.alpha, SELU_ALPHA);
  const scale = finiteNumber(fn, `${name}.scale`, o.scale, SELU_SCALE);
  const m = finiteProduct(fn, `${name}.mu`, mu, `${name}.omega`, omega);
  const v = positiveProduct(fn, `${name}.nu`, nu, `${name}.tau`, tau);
  return { mu, omega, nu, tau, alpha, scale, m, v };
}
