/**
 * Large JSON answers serialised in chunks, taking turns with other requests between chunks
 * (turns.ts), so one tenant's 16 MB list does not hold up every other request while it is
 * encoded or written. Several requests can read the same answer while it is being made: each
 * reader gets the chunks made so far, then each new one.
 */
import { turns } from "./turns.js";

/** Arrays with more items than this are serialised in chunks. */
export const CHUNKED_MIN_ITEMS = 200;
/** About this many characters per chunk (a few milliseconds of `JSON.stringify`). */
const CHUNK_CHARS = 256 * 1024;

const encoder = new TextEncoder();

/** Bytes per piece handed to the socket: small enough that a turn's budget is kept closely. */
export const PIECE_BYTES = 64 * 1024;

export class ChunkedJson {
  private readonly chunks: Uint8Array<ArrayBuffer>[] = [];
  /** Readers waiting for the next chunk (or the end). */
  private readonly waiting = new Set<() => void>();
  private state: "running" | "done" | "failed" = "running";
  private failure: unknown;
  /** The whole answer, once every chunk is made. */
  readonly done: Promise<Uint8Array<ArrayBuffer>>;

  constructor(list: readonly unknown[]) {
    this.done = this.run(list);
    // A failure reaches the readers; the promise itself must not go unhandled.
    this.done.catch(() => {});
  }

  private wake(): void {
    const readers = [...this.waiting];
    this.waiting.clear();
    for (const reader of readers) reader();
  }

  private push(text: string): void {
    this.chunks.push(encoder.encode(text) as Uint8Array<ArrayBuffer>);
    this.wake();
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
          // Making the next chunk takes its turn like the pieces being written.
          await turns.wait();
        }
      }
      this.push(`${text}]`);
      this.state = "done";
      this.wake();
      return concat(this.chunks);
    } catch (error) {
      this.state = "failed";
      this.failure = error;
      this.wake();
      throw error;
    }
  }

  /**
   * A new reader of the answer: the chunks made so far, then each new one, in pieces of at most
   * PIECE_BYTES that go out as the connection asks for them and as turns allow.
   */
  stream(): ReadableStream<Uint8Array> {
    let chunk = 0;
    let at = 0;
    let parked: (() => void) | undefined;
    // A reader that went away (the client closed the connection) gets nothing more.
    let cancelled = false;
    return new ReadableStream<Uint8Array>(
      {
        pull: (controller) =>
          new Promise<void>((resolve) => {
            const step = () => {
              parked = undefined;
              if (this.state === "failed") {
                controller.error(this.failure);
                resolve();
              } else if (chunk < this.chunks.length) {
                turns.take(() => {
                  if (cancelled) return resolve();
                  const bytes = this.chunks[chunk] as Uint8Array<ArrayBuffer>;
                  const end = Math.min(bytes.byteLength, at + PIECE_BYTES);
                  controller.enqueue(bytes.subarray(at, end));
                  at = end;
                  if (at >= bytes.byteLength) {
                    chunk++;
                    at = 0;
                  }
                  resolve();
                });
              } else if (this.state === "done") {
                controller.close();
                resolve();
              } else {
                parked = step;
                this.waiting.add(step);
              }
            };
            step();
          }),
        cancel: () => {
          cancelled = true;
          if (parked) this.waiting.delete(parked);
        },
      },
      { highWaterMark: 0 },
    );
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

/**
 * Kept bytes as a stream of pieces (views, not copies), so a large answer goes out as its
 * connection drains and as turns allow (see turns.ts), instead of as one write that copies
 * megabytes into the socket while every other request waits.
 */
export function piecewise(bytes: Uint8Array<ArrayBuffer>): ReadableStream<Uint8Array> {
  let at = 0;
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (at >= bytes.byteLength) {
          controller.close();
          return;
        }
        return new Promise<void>((resolve) =>
          turns.take(() => {
            if (cancelled) return resolve();
            const end = Math.min(bytes.byteLength, at + PIECE_BYTES);
            controller.enqueue(bytes.subarray(at, end));
            at = end;
            resolve();
          }),
        );
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
}
