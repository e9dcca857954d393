/**
 * uWebSockets.js wiring only: upgrade checks, socket lifecycle, executing relay actions,
 * HTTP routes and graceful shutdown. Decisions live in relay.ts / rooms.ts / rateLimit.ts /
 * recipientGuard.ts / clientAddress.ts; sending, closing and actions in delivery.ts.
 *
 * uWS rules kept here: nothing throws out of a handler; handlers never await (the message
 * ArrayBuffer is only valid during the callback); nothing is sent on a socket from its own close
 * handler; every send() result is checked for a dropped message (slow consumer).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pino, type Logger } from 'pino';
import {
  CLOSE,
  CONTROL_FRAME_MAX_BYTES,
  PROTOCOL_VERSION,
  SIGNAL_FRAME_MAX_BYTES,
  parseClientMessage,
  type PeerId,
} from '@peerboard/protocol';
import { makeConnectionLedger } from './addressLimits';
import { limitKey, makeTrustedProxies, resolveClientAddress } from './clientAddress';
import { makeClusterBridge, type ClusterBridge } from './cluster/bridge';
import { makeDelivery, type Conn } from './delivery';
import type { ServerConfig } from './config';
import { listenMetrics, registerHttpRoutes, type HttpDeps } from './http';
import { classifyClose, makeMetrics } from './metrics';
import { loadUws } from './native';
import { ALLOW, CLOSE_CONN, NOTIFY, makeTokenBucket } from './rateLimit';
import {
  FIXED_ERRORS,
  handleDisconnect,
  handleMessage,
  routeSignalFrame,
  type RelayContext,
} from './relay';
import { makeRoomRegistry } from './rooms';
import { loadStaticSite } from './static';
import { makeApp } from './tls';
import { turnIceServer } from './turn';

export interface RunningServer {
  /** The bound port (useful with PORT=0). */
  readonly port: number;
  /** METRICS_PORT's bound port, null when /metrics is on the main port or off */
  readonly metricsPort: number | null;
  /** Stops listening, closes every client with 1001 'server shutting down'. Idempotent. */
  close(): Promise<void>;
}

export const WS_PATH = '/ws';
/** How long close() lets the 1001 close frames reach clients before dropping all sockets. */
const SHUTDOWN_GRACE_MS = 250;
/**
 * uWS drops a connection whose frame exceeds maxPayloadLength without a close frame (the client
 * sees 1006). So uWS gets twice the protocol's limit, and frames between the two are refused by
 * us with a proper 1009 close and reason; only absurd frames hit uWS's hard drop.
 */
export const HARD_FRAME_MAX_BYTES = 2 * SIGNAL_FRAME_MAX_BYTES;

const newPeerId = (): PeerId => randomBytes(9).toString('base64url');

const TOO_BIG_REASON = `frame exceeds ${SIGNAL_FRAME_MAX_BYTES} bytes`;
const TOO_MANY_FROM_ADDRESS_REASON = 'too many connections from your network address';
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function startServer(config: ServerConfig, logger?: Logger): Promise<RunningServer> {
  const log = logger ?? pino({ level: config.logLevel });
  const uws = loadUws();
  const site = await loadStaticSite(config.staticDir, log, { sourceMaps: config.sourceMaps });
  const metrics = makeMetrics();
  const limits = config.limits;
  const rooms = makeRoomRegistry<Conn>({
    ...limits,
    maxRoomsPerAddress: config.perAddress.maxRooms,
  });
  const turn = config.turn;
  const ctx: RelayContext<Conn> = {
    rooms,
    iceServers: config.iceServers,
    iceServersFor: turn ? (peer) => [...config.iceServers, turnIceServer(turn, peer)] : undefined,
    peerTimeouts: config.peerTimeouts,
    version: config.protocolVersion ?? PROTOCOL_VERSION,
  };
  const { closeWith, sendTo, reject, rejectFixed, execute, forward, backlogOf, admitted } =
    makeDelivery({
      log,
      metrics,
      recipient: config.recipient,
      maxPeersPerRoom: limits.maxPeersPerRoom,
    });
  const deliverRemoteSignal = (to: Conn, frame: Uint8Array) => {
    if (backlogOf(to) > config.recipient.congestionBytes) metrics.signalsDropped.remote_congested++;
    else forward(null, to, frame);
  };
  // REDIS_URL: rooms shared with other instances (cluster/*); null = this process only.
  const cluster: ClusterBridge<Conn> | null = config.cluster
    ? await makeClusterBridge<Conn>({
        config: config.cluster,
        maxPeersPerRoom: limits.maxPeersPerRoom,
        ctx,
        log,
        isOpen: (c) => c.open && c.closing === null,
        send: sendTo,
        deliverSignal: deliverRemoteSignal,
        admitRemote: (c, to, bytes) => admitted(c, to, bytes, 0),
        reject,
        execute: (c, actions) => execute(c, actions, null),
        closeAll: (code, reason) => {
          for (const c of [...live]) closeWith(c, code, reason, 'shutdown');
        },
      })
    : null;
  const live = new Set<Conn>();
  const trustedProxies = makeTrustedProxies(config.trustProxy);
  const connectionsByAddress = makeConnectionLedger(config.perAddress.maxConnections);
  const allowedOrigins = new Set(config.allowedOrigins.map((o) => o.toLowerCase()));
  const rateOpts = {
    ratePerSecond: limits.rateMessagesPerSecond,
    burst: limits.rateBurst,
    maxStrikes: limits.maxStrikes,
  };
  let shuttingDown = false;

  function onBinary(c: Conn, message: ArrayBuffer): void {
    const frame = new Uint8Array(message); // the only per-message allocation besides the id
    const target = routeSignalFrame(c, frame);
    if (typeof target !== 'string') {
      if (admitted(c, target.id, frame.length, backlogOf(target))) forward(c, target, frame);
    } else if (target !== 'ERR_NO_SUCH_PEER' || !cluster?.forwardRemote(c, frame))
      rejectFixed(c, target);
  }

  function onText(c: Conn, frame: ArrayBuffer): void {
    if (frame.byteLength > CONTROL_FRAME_MAX_BYTES) {
      reject(c, 'ERR_TOO_BIG', `control messages are limited to ${CONTROL_FRAME_MAX_BYTES} bytes`);
      return;
    }
    let text: string;
    try {
      text = utf8.decode(frame);
    } catch {
      reject(c, 'ERR_BAD_MESSAGE', 'text frames must be UTF-8 JSON');
      return;
    }
    const parsed = parseClientMessage({ text });
    if (!parsed.ok) reject(c, parsed.code, parsed.message);
    else if (cluster !== null) cluster.control(c, parsed.value);
    else execute(c, handleMessage(ctx, c, parsed.value), null);
  }

  function onRateLimited(c: Conn, verdict: number): void {
    metrics.rejected.ERR_RATE_LIMITED++;
    if (verdict === NOTIFY) {
      sendTo(c, FIXED_ERRORS.ERR_RATE_LIMITED, false);
    } else if (verdict === CLOSE_CONN) {
      log.info({ peer: c.id }, 'closing flooding connection');
      closeWith(c, CLOSE.rateLimited, 'rate limit exceeded', 'rate_limited');
    }
  }

  const app = makeApp(uws, config.tls);
  app.ws<Conn>(WS_PATH, {
    compression: uws.DISABLED,
    maxPayloadLength: HARD_FRAME_MAX_BYTES,
    idleTimeout: limits.idleTimeoutSeconds,
    sendPingsAutomatically: true,
    maxBackpressure: limits.maxBackpressureBytes,
    closeOnBackpressureLimit: 1,

    upgrade(res, req, context) {
      try {
        const key = req.getHeader('sec-websocket-key');
        const protocol = req.getHeader('sec-websocket-protocol');
        const extensions = req.getHeader('sec-websocket-extensions');
        const origin = req.getHeader('origin').toLowerCase();
        if (allowedOrigins.size > 0 && !allowedOrigins.has(origin)) {
          metrics.upgradesRejectedOrigin++;
          log.info({ origin }, 'upgrade refused: origin not allowed');
          res.cork(() => res.writeStatus('403 Forbidden').end('origin not allowed'));
          return;
        }
        const id = newPeerId();
        const peerAddress = latin1.decode(res.getRemoteAddressAsText());
        const forwardedFor = req.getHeader('x-forwarded-for');
        const clientAddress = resolveClientAddress(peerAddress, forwardedFor, trustedProxies);
        const conn: Conn = {
          id,
          greeted: false,
          name: '',
          room: null,
          ws: null,
          bucket: makeTokenBucket(rateOpts, performance.now()),
          address: limitKey(clientAddress),
          countedForAddress: false,
          budgets: null,
          open: false,
          closing: null,
        };
        res.upgrade<Conn>(conn, key, protocol, extensions, context);
      } catch (e) {
        log.error({ err: e }, 'upgrade failed');
        // Returning from a uWS handler without responding aborts the process: answer something.
        try {
          res.cork(() => res.writeStatus('500 Internal Server Error').end());
        } catch {
          try {
            res.close();
          } catch {
            // already answered or gone
          }
        }
      }
    },

    open(ws) {
      try {
        const c = ws.getUserData();
        c.ws = ws;
        c.open = true;
        if (shuttingDown) {
          closeWith(c, CLOSE.goingAway, 'server shutting down', 'shutdown');
        } else if (live.size >= limits.maxConnections) {
          closeWith(c, CLOSE.serverFull, 'server full: too many connections', 'server_full');
        } else if (!connectionsByAddress.tryOpen(c.address)) {
          metrics.addressLimitRefusals.connections++;
          log.info({ address: c.address }, 'connection refused: per-address cap');
          const reason = TOO_MANY_FROM_ADDRESS_REASON;
          closeWith(c, CLOSE.tooManyFromAddress, reason, 'address_limit');
        } else {
          c.countedForAddress = true;
          live.add(c);
        }
      } catch (e) {
        log.error({ err: e }, 'open handler failed');
      }
    },

    message(ws, message, isBinary) {
      const c = ws.getUserData();
      try {
        if (message.byteLength > SIGNAL_FRAME_MAX_BYTES) {
          metrics.rejected.ERR_TOO_BIG++;
          closeWith(c, CLOSE.tooBig, TOO_BIG_REASON, 'too_big');
          return;
        }
        const verdict = c.bucket.take(performance.now());
        if (verdict !== ALLOW) onRateLimited(c, verdict);
        else if (isBinary) onBinary(c, message);
        else onText(c, message);
      } catch (e) {
        log.error({ err: e, peer: c.id }, 'message handler failed');
      }
    },

    close(ws, code, message) {
      try {
        const c = ws.getUserData();
        c.open = false;
        live.delete(c);
        if (c.countedForAddress) connectionsByAddress.release(c.address);
        metrics.closed[c.closing ?? classifyClose(code, message)]++;
        // On shutdown everyone is leaving: skip the peer_left storm.
        const room = c.room;
        const actions = handleDisconnect(ctx, c);
        if (!shuttingDown) execute(c, actions, null);
        if (cluster !== null && room !== null) cluster.left(c, room.id);
      } catch (e) {
        log.error({ err: e }, 'close handler failed');
      }
    },
  });

  let listening = false;
  const httpDeps: HttpDeps = {
    site,
    metrics,
    metricsConfig: config.metrics,
    logger: log,
    gauges: () => ({ connections: live.size, rooms: rooms.roomCount }),
    readiness() {
      const redisUp = cluster === null || cluster.ready();
      return {
        ready: listening && !shuttingDown && redisUp,
        redis: cluster === null ? 'not_configured' : redisUp ? 'connected' : 'disconnected',
      };
    },
  };
  registerHttpRoutes(app, httpDeps);
  const metricsListener = await listenMetrics(uws, httpDeps);

  const listenSocket = await new Promise<unknown>((resolve, reject) => {
    app.listen(config.host, config.port, (token) => {
      if (token) resolve(token);
      else reject(new Error(`could not listen on ${config.host}:${config.port}`));
    });
  });
  const port = uws.us_socket_local_port(listenSocket as never);
  listening = true;

  let closed: Promise<void> | null = null;
  return {
    port,
    metricsPort: metricsListener?.port ?? null,
    close() {
      closed ??= (async () => {
        shuttingDown = true;
        uws.us_listen_socket_close(listenSocket as never);
        metricsListener?.close();
        for (const c of [...live])
          closeWith(c, CLOSE.goingAway, 'server shutting down', 'shutdown');
        await new Promise((r) => setTimeout(r, SHUTDOWN_GRACE_MS));
        // Drops whatever is left, e.g. idle HTTP keep-alive sockets (missing from the typings).
        (app as unknown as { close(): void }).close();
        await cluster?.close();
        log.info({ port }, 'server closed');
      })();
      return closed;
    },
  };
}
