import { describe, expect, it } from 'vitest';
import { renderChatText } from './chatText';

describe('renderChatText', () => {
  it('splits plain text and http(s) links', () => {
    expect(renderChatText('see https://example.com/a?b=1#c, and http://x.org.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1#c', href: 'https://example.com/a?b=1#c' },
      { kind: 'text', text: ', and ' },
      { kind: 'link', text: 'http://x.org', href: 'http://x.org/' },
      { kind: 'text', text: '.' },
    ]);
    expect(renderChatText('(https://en.wikipedia.org/wiki/Foo_(bar))')).toEqual([
      { kind: 'text', text: '(' },
      {
        kind: 'link',
        text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
        href: 'https://en.wikipedia.org/wiki/Foo_(bar)',
      },
      { kind: 'text', text: ')' },
    ]);
    expect(renderChatText('')).toEqual([]);
    expect(renderChatText('no links')).toEqual([{ kind: 'text', text: 'no links' }]);
  });

  it('never makes a link of javascript:, data: or other schemes', () => {
    for (const t of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox',
      'file:///etc/passwd',
      'https://',
      'http://[bad',
    ]) {
      const segs = renderChatText(t);
      expect(
        segs.every((s) => s.kind === 'text'),
        t,
      ).toBe(true);
      expect(segs.map((s) => s.text).join('')).toBe(t);
    }
  });

  it('keeps HTML as literal text and stops links at quotes and angle brackets', () => {
    const html = '<img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>';
    expect(renderChatText(html)).toEqual([{ kind: 'text', text: html }]);
    const attr = '<a href="https://evil.example/"onmouseover="alert(1)">hi</a>';
    const segs = renderChatText(attr);
    const links = segs.filter((s) => s.kind === 'link');
    expect(links).toEqual([
      { kind: 'link', text: 'https://evil.example/', href: 'https://evil.example/' },
    ]);
    expect(segs.map((s) => s.text).join('')).toBe(attr); // nothing lost, nothing added
    // javascript: between two links stays plain text; both links keep their http(s) href
    expect(renderChatText('https://a.example/x javascript:alert(1) http://b.example')).toEqual([
      { kind: 'link', text: 'https://a.example/x', href: 'https://a.example/x' },
      { kind: 'text', text: ' javascript:alert(1) ' },
      { kind: 'link', text: 'http://b.example', href: 'http://b.example/' },
    ]);
  });

  it('round-trips any text (segments concatenate back to the input)', () => {
    const samples = [
      'a https://x.y/z?q="1" b',
      'https://x.y/😀 ok',
      'http://a.b/c.d.e...',
      'x'.repeat(50),
    ];
    for (const t of samples)
      expect(
        renderChatText(t)
          .map((s) => s.text)
          .join(''),
      ).toBe(t);
  });
});
