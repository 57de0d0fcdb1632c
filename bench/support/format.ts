/** Number formatting for benchmark tables: few digits, units always written. */

const grouped = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** `1,234` */
export function count(n: number): string {
  return grouped.format(n);
}

/** Three significant digits: `0.123`, `12.3`, `1,234`. */
function sig(n: number): string {
  if (n === 0) return '0';
  if (Math.abs(n) >= 1000) return grouped.format(n);
  return Number(n.toPrecision(3)).toString();
}

/** Milliseconds, `12.3 ms`; seconds above ten thousand. */
export function ms(value: number): string {
  return value >= 10_000 ? `${sig(value / 1000)} s` : `${sig(value)} ms`;
}

/** Microseconds from milliseconds: `4.56 µs`; milliseconds from 1,000 µs on. */
export function us(valueMs: number): string {
  return valueMs >= 1 ? ms(valueMs) : `${sig(valueMs * 1000)} µs`;
}

/** Bytes as `12.3 KB` (1,000 bytes a KB, as mail clients count) or `4.5 MB`. */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${sig(n / 1000)} KB`;
  return `${sig(n / 1_000_000)} MB`;
}

/** `×12.3` */
export function ratio(value: number): string {
  return `×${sig(value)}`;
}

/** `12%` of a share in 0…1. */
export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** `PASS` or `MISS`: a target met or not, in the same run. */
export function verdict(pass: boolean): 'PASS' | 'MISS' {
  return pass ? 'PASS' : 'MISS';
}
