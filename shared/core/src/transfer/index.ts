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
  type SinkResume,
  type WritableFileHandle,
} from './sink';
export type { TransferRoom } from './room';
export {
  isFinal,
  type ReceiverState,
  type ReceiverView,
  type TransferState,
  type TransferView,
} from './types';
export type { FolderSource, FolderView } from './folders';
export { pathProblem } from './folder';
export {
  makeFolderReceive,
  type FolderFile,
  type FolderFileResult,
  type FolderReceive,
  type FolderReceiveOptions,
} from './folderReceive';
export {
  folderKey,
  makeFolderResume,
  type FolderPlace,
  type FolderResume,
  type FolderSaveKind,
  type FolderShape,
} from './folderResume';
export {
  chooseSink,
  clearStaleOpfsFiles,
  discardPartial,
  keptBases,
  PickerClosed,
  reopenSink,
} from './browserSinks';
export { devicePlan, diskPlan, IN_MEMORY_BYTES, type DiskPlan } from './diskPlan';
export {
  openHandleSink,
  openSegmentSink,
  SEGMENT_BYTES,
  type OpfsDirectory,
  type ResumableHandle,
  type ResumableWritable,
} from './resumableSinks';
export {
  makeIdbResumeBackend,
  makeMemoryResumeBackend,
  makeResumeStore,
  RESUME_DB,
  type ResumeBackend,
  type ResumeRecord,
  type ResumeStore,
  type ResumeStoreOptions,
  type StoredResume,
} from './resumeStore';
export {
  IMAGE_BLOB_MAX_BYTES,
  IMAGE_INSERT_TARGET_BYTES,
  makeImageBlobs,
  sha256Hex,
  sniffImageMime,
  type ImageBlobs,
  type ImageBlobStore,
  type ImageStatus,
} from './imageBlobs';
export { makeIdbImageStore, OPEN_IMAGES_DB } from './imageStore';
