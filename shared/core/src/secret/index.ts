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
  type Opened,
  type SignalCipher,
} from './signalCipher';
export { makeSealedSignaling } from './sealedSignaling';
