export {
  deriveLocalStoreKeys,
  deriveRoomId,
  isRoomSecret,
  newRoomSecret,
  newSecretRoom,
  protectedRoomMark,
  secretFragment,
  secretFromFragment,
  type LocalStoreKeys,
} from './roomSecret';
export {
  makeSignalCipher,
  SEALED_OVERHEAD,
  type OpenError,
  type Opened,
  type SignalCipher,
} from './signalCipher';
export { makeSealedSignaling } from './sealedSignaling';
