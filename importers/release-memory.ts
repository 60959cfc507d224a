import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** ES2024's ArrayBuffer.prototype.transfer, which Node has and the ES2023 lib does not declare. */
interface TransferableBuffer {
  transfer(newLength: number): ArrayBuffer;
}

/**
 * Frees an ArrayBuffer's memory now, leaving it detached (length 0): a large buffer's memory lies
 * outside the JavaScript heap, and V8 otherwise frees it only once a collection finds its last
 * view dead, which on the importing thread (little JavaScript garbage, megabytes of buffers per
 * batch) came only every few dozen megabytes. Only for a buffer nothing else will read.
 */
export function releaseArrayBuffer(buffer: ArrayBufferLike): void {
  if (buffer instanceof ArrayBuffer && buffer.byteLength > 0)
    (buffer as unknown as TransferableBuffer).transfer(0);
}

/**
 * Frees the Buffers among a statement's parameters once it has run, those that are the whole of
 * their memory: a small Buffer is a slice of Node's shared pool, which other Buffers still use.
 */
export function releaseSentBuffers(parameters: readonly unknown[]): void {
  for (const parameter of parameters)
    if (
      Buffer.isBuffer(parameter) &&
      parameter.byteOffset === 0 &&
      parameter.byteLength === parameter.buffer.byteLength
    )
      releaseArrayBuffer(parameter.buffer);
}

/** V8's gc() with its options, as --expose-gc defines it. */
type GcFunction = (options: { type: "minor"; execution: "sync" }) => void;

let gc: GcFunction | null | undefined;

/**
 * Runs a young-generation collection (a scavenge: a millisecond or two) when V8 lets this process
 * ask for one, else does nothing. For the bulk writes' buffers that are not ours to free:
 * node-postgres copies every bound parameter into a message buffer it grows by half again at
 * each step, several megabytes of short-lived buffers per batch of figures whose views die young,
 * but V8 collects them only when the young generation fills with JavaScript objects, which the
 * writer makes few of; until then a million-row import held 30 to 60 MB of them.
 */
export function collectYoungGarbage(): void {
  if (gc === undefined) {
    try {
      // --expose-gc defines gc() in contexts made after it is set (Node keeps V8's flags open).
      setFlagsFromString("--expose-gc");
      const found: unknown = runInNewContext(
        "typeof gc === 'function' ? gc : null",
      );
      gc = typeof found === "function" ? (found as GcFunction) : null;
    } catch {
      gc = null;
    }
  }
  gc?.({ type: "minor", execution: "sync" });
}
