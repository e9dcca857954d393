/**
 * The start-up text for a person at a terminal (main.ts prints it only when stdout is a TTY;
 * log collectors get the JSON "listening" line alone): where to open the app and, in LAN mode,
 * a QR code of the first network address and what to do about the certificate warning.
 */
import QRCode from 'qrcode';

export interface BannerInput {
  urls: string[];
  /** LAN mode: the certificate is self-signed */
  lan: boolean;
}

const isLoopback = (url: string) =>
  /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(new URL(url).hostname);

export async function startupBanner(o: BannerInput): Promise<string> {
  const local = o.urls.filter(isLoopback);
  const network = o.urls.filter((u) => !isLoopback(u));
  const lines = ['', 'Peerboard is running.'];
  const list = (label: string, urls: string[]) =>
    urls.forEach((u, i) => lines.push(`  ${(i === 0 ? label : '').padEnd(18)}${u}`));
  list('This computer:', local);
  list('On your network:', network);
  const first = network[0];
  if (o.lan && first !== undefined) {
    lines.push('', (await QRCode.toString(first, { type: 'terminal', small: true })).trimEnd());
    lines.push(
      `Scan to open ${first} on a phone.`,
      'The certificate is self-signed, so each browser warns once: check that the address is',
      'the one above, then choose "Advanced" > "Proceed" (Safari: "Show Details" > "visit").',
    );
  } else if (!o.lan && network.some((u) => u.startsWith('http:'))) {
    lines.push(
      '',
      'Over plain http, other devices get no protected rooms and no calls (browsers allow',
      'them only over https or on localhost). Start with LAN=1 (or --lan) for https.',
    );
  }
  return lines.join('\n') + '\n\n';
}
