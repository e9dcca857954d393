export {
  deriveRoomId,
  isRoomSecret,
  newRoomSecret,
  newSecretRoom,
  secretFragment,
  secretFromFragment,
} from './roomSecret';
export {
  makeSignalCipher,
  SEALED_OVERHEAD,
  type OpenError,
  type SignalCipher,
} from './signalCipher';
export { makeSealedSignaling } from './sealedSignaling';
