/**
 * Client source addresses for many loopback connections. One source address has ~28k ephemeral
 * ports (ip_local_port_range), shared with everything else on the machine; 127.0.0.0/8 is all
 * loopback on Linux, so spreading clients over 127.0.0.x gives each its own port space.
 */
export const CONNECTIONS_PER_SOURCE = 10_000;

/** `count` addresses for load process `index` (distinct across processes). */
export function loopbackSources(index: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = 2 + index * count + i; // .1 is what everything else uses
    return `127.0.${Math.floor(n / 250)}.${1 + (n % 250)}`;
  });
}
