/**
 * Split chat text into plain-text and link segments. The UI renders `text` segments as text
 * nodes and `link` segments as <a href> with textContent: never innerHTML, so markup in a
 * message is shown literally. Only http(s) URLs become links; `javascript:`, `data:` and the
 * like stay plain text.
 */

export type ChatSegment =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// a URL candidate: scheme, then anything up to whitespace or a character that cannot end a
// link in prose (quotes and angle brackets, common in pasted HTML)
const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING_PUNCT = /[.,;:!?)\]}]+$/;

/** Trailing punctuation belongs to the sentence, except a ')' that closes one in the URL. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const m = TRAILING_PUNCT.exec(url);
    if (!m) return url;
    const last = url.charAt(url.length - 1);
    if (last === ')') {
      const opens = url.split('(').length - 1;
      const closes = url.split(')').length - 1;
      if (opens >= closes) return url;
    }
    url = url.slice(0, -1);
  }
}

function safeHref(text: string): string | null {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.hostname.length === 0) return null;
    return url.href;
  } catch {
    return null;
  }
}

export function renderChatText(text: string): ChatSegment[] {
  const segments: ChatSegment[] = [];
  let plain = '';
  let last = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const start = match.index;
    const url = trimUrl(match[0]);
    const href = safeHref(url);
    if (href === null) continue;
    plain += text.slice(last, start);
    if (plain) segments.push({ kind: 'text', text: plain });
    plain = '';
    segments.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  plain += text.slice(last);
  if (plain) segments.push({ kind: 'text', text: plain });
  return segments;
}
