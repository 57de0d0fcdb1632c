import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a client address stands for when counting requests: an IPv4 address itself (an
 * IPv4-mapped IPv6 address `::ffff:a.b.c.d` as that IPv4 address), an IPv6 address as its /64.
 * One IPv6 subscriber line gets a whole /64 and can pick any of its 2^64 addresses, so counting
 * single IPv6 addresses would let one client pose as countless ones. Anything else (no address,
 * an unparsable one) is returned as is.
 */
export function networkOf(ip: string | undefined): string | undefined {
  if (!ip || isIPv4(ip)) return ip;
  const bare = ip.split('%')[0] ?? ip; // a zone index (`fe80::1%eth0`) says nothing about the network
  if (!isIPv6(bare)) return ip;
  const groups = expandIPv6(bare);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function expandIPv6(ip: string): number[] {
  let text = ip.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right].map((g) =>
    Number.parseInt(g, 16),
  );
}
