/**
 * Test helper (not used by the app): a FileSink over a file on disk whose bytes survive the
 * session, as OPFS segments or a picked file do in a browser. Each write is on disk when it
 * resolves, so the durable prefix is everything written; `place` is the path.
 */
import { open, stat, truncate, unlink } from 'node:fs/promises';
import type { FileSink } from '../../src/transfer/sink';

export async function makeFileSink(path: string): Promise<FileSink> {
  const existing = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  const fh = await open(path, existing > 0 ? 'r+' : 'w+');
  let at = existing;
  let durable: (bytes: number) => void = () => {};
  let closed = false;
  const shut = async () => {
    if (closed) return;
    closed = true;
    await fh.close();
  };
  return {
    async write(data) {
      await fh.write(data, 0, data.length, at);
      at += data.length;
      durable(at);
    },
    async close() {
      await shut();
      return { blob: async () => null, savedToDisk: true, source: null };
    },
    async abort() {
      await shut();
      await unlink(path).catch(() => undefined);
    },
    resume: {
      place: path,
      existing,
      async read(offset, length) {
        const buf = new Uint8Array(length);
        const { bytesRead } = await fh.read(buf, 0, length, offset);
        return buf.subarray(0, bytesRead);
      },
      async keep(bytes) {
        await truncate(path, bytes);
        at = bytes;
      },
      onDurable: (fn) => void (durable = fn),
      suspend: () => void shut(),
    },
  };
}
