/**
 * The docs site's samples are written for `npm start` (http://127.0.0.1:4010). When the
 * server serves the site itself, its text files are answered with the address the page was
 * actually reached at, so every sample can be copied as it is.
 */
const WRITTEN_FOR = /http:\/\/(?:127\.0\.0\.1|localhost):4010(?![0-9])/g;

/** A function that rewrites a docs file's bytes for an origin (text types only). */
export function docsAddressRewriter(): (bytes: Uint8Array<ArrayBuffer>, type: string, origin: string) => Uint8Array<ArrayBuffer> {
  return (bytes, type, origin) => {
    if (
      !/^(text\/|application\/json|image\/svg)/.test(type) ||
      !/^https?:\/\/[^/\s"'<>]+$/.test(origin) ||
      origin === "http://127.0.0.1:4010"
    )
      return bytes;
    const text = new TextDecoder().decode(bytes);
    const rewritten = text.replace(WRITTEN_FOR, origin);
    return rewritten === text ? bytes : (new TextEncoder().encode(rewritten) as Uint8Array<ArrayBuffer>);
  };
}
