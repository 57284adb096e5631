/**
 * Large JSON answers serialised in chunks, yielding to the event loop between chunks, so one
 * tenant's 16 MB list does not hold up every other request while it is encoded. Several
 * requests can read the same answer while it is being made: each reader gets the chunks made
 * so far, then each new one.
 */

/** Arrays with more items than this are serialised in chunks. */
export const CHUNKED_MIN_ITEMS = 200;
/** About this many characters per chunk (a few milliseconds of `JSON.stringify`). */
const CHUNK_CHARS = 256 * 1024;

const encoder = new TextEncoder();

/** Lets timers and I/O (other requests) run before the next chunk. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ChunkedJson {
  private readonly chunks: Uint8Array<ArrayBuffer>[] = [];
  private readonly readers = new Set<ReadableStreamDefaultController<Uint8Array>>();
  private state: "running" | "done" | "failed" = "running";
  private failure: unknown;
  /** The whole answer, once every chunk is made. */
  readonly done: Promise<Uint8Array<ArrayBuffer>>;

  constructor(list: readonly unknown[]) {
    this.done = this.run(list);
    // A failure reaches the readers; the promise itself must not go unhandled.
    this.done.catch(() => {});
  }

  private push(text: string): void {
    const chunk = encoder.encode(text) as Uint8Array<ArrayBuffer>;
    this.chunks.push(chunk);
    for (const reader of this.readers) reader.enqueue(chunk);
  }

  private async run(list: readonly unknown[]): Promise<Uint8Array<ArrayBuffer>> {
    try {
      let items = 32;
      let text = "[";
      for (let i = 0; i < list.length; ) {
        const end = Math.min(list.length, i + items);
        // The items' JSON without the brackets; JSON.stringify writes undefined items as null, as for the whole array.
        const part = JSON.stringify(list.slice(i, end)).slice(1, -1);
        text += i === 0 ? part : `,${part}`;
        // Aim the next chunk at CHUNK_CHARS from the size of the items seen so far.
        items = Math.max(1, Math.floor(CHUNK_CHARS / Math.max(1, part.length / (end - i))));
        i = end;
        if (i < list.length) {
          this.push(text);
          text = "";
          await yieldToEventLoop();
        }
      }
      this.push(`${text}]`);
      this.state = "done";
      for (const reader of this.readers) reader.close();
      this.readers.clear();
      return concat(this.chunks);
    } catch (error) {
      this.state = "failed";
      this.failure = error;
      for (const reader of this.readers) reader.error(error);
      this.readers.clear();
      throw error;
    }
  }

  /** A new reader of the answer. */
  stream(): ReadableStream<Uint8Array> {
    let self: ReadableStreamDefaultController<Uint8Array> | undefined;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        self = controller;
        for (const chunk of this.chunks) controller.enqueue(chunk);
        if (this.state === "done") controller.close();
        else if (this.state === "failed") controller.error(this.failure);
        else this.readers.add(controller);
      },
      cancel: () => {
        if (self) this.readers.delete(self);
      },
    });
  }
}

function concat(chunks: Uint8Array<ArrayBuffer>[]): Uint8Array<ArrayBuffer> {
  let size = 0;
  for (const c of chunks) size += c.byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Kept answers larger than this are written in pieces (see `piecewise`); smaller ones go out in one write, which costs less. */
export const PIECEWISE_MIN_BYTES = 4 * 1024 * 1024;
const PIECE_BYTES = 256 * 1024;

/**
 * Kept bytes as a stream of pieces (views, not copies), so a large answer goes out as its
 * connection drains, a piece per turn of the event loop, instead of as one write that copies
 * megabytes into the socket while every other request waits.
 */
export function piecewise(bytes: Uint8Array<ArrayBuffer>): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (at >= bytes.byteLength) {
          controller.close();
          return;
        }
        const end = Math.min(bytes.byteLength, at + PIECE_BYTES);
        controller.enqueue(bytes.subarray(at, end));
        at = end;
      },
    },
    { highWaterMark: 0 },
  );
}
