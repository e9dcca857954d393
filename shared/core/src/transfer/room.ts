/** The part of the Room (web/src/core/room.ts) file transfer uses. */
import type { Room } from '../room';

export type TransferRoom = Pick<
  Room,
  'clientId' | 'onFrame' | 'send' | 'broadcast' | 'on' | 'openPeers'
>;
