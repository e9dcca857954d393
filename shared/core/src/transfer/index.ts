/** File transfer: see transfers.ts for the API. */
export { makeTransfers, tooBigForMemory } from './transfers';
export type { Transfers, TransfersOptions, TransfersEvents } from './transfers';
export { blobSource, bytesSource, type FileSource } from './source';
export {
  makeDiscardSink,
  makeMemorySink,
  makeWritableSink,
  type FileSink,
  type ReceivedFile,
  type WritableFileHandle,
} from './sink';
export { isFinal, type ReceiverView, type TransferState, type TransferView } from './types';
export { chooseSink, clearStaleOpfsFiles, IN_MEMORY_BYTES, PickerClosed } from './browserSinks';
export type { FolderSource, FolderView } from './folders';
export { pathProblem } from './folder';
export {
  makeFolderReceive,
  type FolderFile,
  type FolderFileResult,
  type FolderReceive,
  type FolderReceiveOptions,
} from './folderReceive';
