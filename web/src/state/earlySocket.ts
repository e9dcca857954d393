/**
 * The room's signaling socket, opened by the page's first (tiny) module before the app's code is
 * fetched and parsed, and handed to the engine when the session starts (issue 18 item 4: the
 * socket used to wait for ~0.5 MiB of JavaScript; now its handshake overlaps it).
 *
 * The engine still owns the socket: makeSession() gets `EarlySocket` as its WebSocket
 * constructor, whose first construction for the same address adopts the held socket and replays
 * what it saw meanwhile (its open event; the relay says nothing before our hello), and every later
 * one (a reconnect) opens a new socket as before. A held socket nobody adopts within
 * ADOPT_WITHIN_MS (a name to type first, a protected link without its key) is closed; one that
 * closed meanwhile is not adopted.
 *
 * This module is in the page's first chunk: it imports only the access check (WebCrypto and a
 * few protocol helpers).
 */
import type { WebSocketLike } from '@peerboard/core';
import { checkRoomAccess, type RoomAccess } from './roomAccessCheck';
import { roomIdFromPath } from './roomId';

/** Long enough for a slow first chunk on a loaded machine, short of the relay's idle timeout. */
const ADOPT_WITHIN_MS = 20_000;

interface Held {
  url: string;
  ws: WebSocket;
  /** events before adoption, in order */
  seen: Event[];
  timer: ReturnType<typeof setTimeout>;
}

let held: Held | null = null;

/** The first module's access check, for the room page to take instead of checking again. */
let checkedAtLoad: { roomId: string; fragment: string; access: Promise<RoomAccess> } | null = null;

/**
 * The access decision the first module made for this room and fragment, once; null if it made
 * none (offline, another page) or the link changed since. The room page checks only without it.
 */
export function takeAccessCheckedAtLoad(
  roomId: string,
  fragment: string,
): Promise<RoomAccess> | null {
  const c = checkedAtLoad;
  checkedAtLoad = null;
  return c && c.roomId === roomId && c.fragment === fragment ? c.access : null;
}

/** The relay's address for this page, as the engine derives it (core room.ts defaultUrl). */
export const relayUrl = (loc: Location): string =>
  `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;

/**
 * On a room page whose link may join (an open room, or a protected one with its key: the same
 * check the room page makes, roomAccessCheck.ts): opens the signaling socket now. A bare link of
 * a room this browser knows as protected, or a damaged key, opens nothing. Call once, first thing.
 */
export async function openEarlySocket(): Promise<void> {
  const roomId = roomIdFromPath(location.pathname);
  if (held || roomId === null || !navigator.onLine) return;
  const fragment = location.hash;
  const checking = checkRoomAccess(roomId, fragment);
  checkedAtLoad = { roomId, fragment, access: checking };
  const access = await checking;
  if (held || (access.kind !== 'open' && access.kind !== 'protected')) return;
  const url = relayUrl(location);
  let ws: WebSocket;
  try {
    ws = new WebSocket(url);
  } catch {
    return; // the engine opens its own and reports what fails
  }
  ws.binaryType = 'arraybuffer';
  const seen: Event[] = [];
  ws.onopen = ws.onmessage = ws.onclose = ws.onerror = (e) => seen.push(e);
  const timer = setTimeout(() => {
    if (held?.ws !== ws) return;
    held = null;
    ws.close(1000, 'not used');
  }, ADOPT_WITHIN_MS);
  held = { url, ws, seen, timer };
}

function take(url: string): Held | null {
  const h = held;
  if (!h || h.url !== url) return null;
  held = null;
  clearTimeout(h.timer);
  if (h.ws.readyState === WebSocket.CLOSING || h.ws.readyState === WebSocket.CLOSED) return null;
  return h;
}

/** WebSocket constructor for the engine (SignalingOptions.WebSocket): adopts the early socket. */
export class EarlySocket implements WebSocketLike {
  readonly #ws: WebSocket;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor(url: string) {
    const h = take(url);
    const ws = h?.ws ?? new WebSocket(url);
    this.#ws = ws;
    ws.onopen = (e) => this.#dispatch(e);
    ws.onmessage = ws.onclose = ws.onerror = ws.onopen;
    // The engine sets its handlers right after construction, in the same task; what the held
    // socket saw goes to them before any new event (a microtask runs before the next task).
    if (h && h.seen.length > 0) queueMicrotask(() => h.seen.forEach((e) => this.#dispatch(e)));
  }

  #dispatch(e: Event): void {
    if (e instanceof MessageEvent) this.onmessage?.(e);
    else if (e instanceof CloseEvent) this.onclose?.(e);
    else if (e.type === 'open') this.onopen?.(e);
    else this.onerror?.(e);
  }

  get readyState(): number {
    return this.#ws.readyState;
  }
  get binaryType(): string {
    return this.#ws.binaryType;
  }
  set binaryType(type: string) {
    if (type === 'arraybuffer' || type === 'blob') this.#ws.binaryType = type;
  }
  send(data: string | Uint8Array): void {
    this.#ws.send(data);
  }
  close(code?: number, reason?: string): void {
    this.#ws.close(code, reason);
  }
}
