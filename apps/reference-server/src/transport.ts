import type { IncomingMessage, Server, ServerOptions, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/** Headers must arrive within this many milliseconds. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** The whole request (headers and body) must arrive within this many milliseconds. */
export const REQUEST_TIMEOUT_MS = 30_000;
/**
 * How often Node checks those timeouts. Its default, 30 s, lets a 10 s header timeout fire
 * anywhere between 10 and 40 s; checked every second they hold within a second.
 */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/** The options of the HTTP server, given when it is created (the checking interval cannot be set later). */
export const httpServerOptions: ServerOptions = {
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
  keepAliveTimeout: 5_000,
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  408: "Request Timeout",
  417: "Expectation Failed",
  431: "Request Header Fields Too Large",
};

/** A problem+json answer written straight to a socket (no request was parsed). */
function problemBytes(status: number, detail: string, field: { in: "header" | "body" | "path"; name?: string; message: string }): string {
  const body = JSON.stringify({ type: "about:blank", title: TITLES[status] ?? "Error", status, detail, errors: [field] });
  return [
    `HTTP/1.1 ${status} ${TITLES[status] ?? "Error"}`,
    "Content-Type: application/problem+json",
    "X-Content-Type-Options: nosniff",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
    "",
    body,
  ].join("\r\n");
}

/** What a transport-level error of Node's HTTP parser means for the client. */
export function describeClientError(error: NodeJS.ErrnoException): {
  status: number;
  detail: string;
  field: Parameters<typeof problemBytes>[2];
} {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return {
        status: 431,
        detail: "The request's headers are too large.",
        field: { in: "header", message: "the headers are larger than the server accepts (16 KB)" },
      };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return {
        status: 408,
        detail: `The request did not arrive in time (headers within ${HEADERS_TIMEOUT_MS / 1000} s, the whole request within ${REQUEST_TIMEOUT_MS / 1000} s).`,
        field: { in: "body", message: "did not arrive in time" },
      };
    case "HPE_INVALID_CONTENT_LENGTH":
    case "HPE_UNEXPECTED_CONTENT_LENGTH":
      return {
        status: 400,
        detail: "The request's Content-Length is invalid.",
        field: { in: "header", name: "Content-Length", message: "is invalid or contradicts Transfer-Encoding" },
      };
    case "HPE_INVALID_TRANSFER_ENCODING":
    case "HPE_INVALID_CHUNK_SIZE":
      return {
        status: 400,
        detail: "The request's chunked framing is malformed.",
        field: { in: "header", name: "Transfer-Encoding", message: "the chunked body is malformed" },
      };
    default:
      return {
        status: 400,
        detail: "The request is malformed at the HTTP level.",
        field: { in: "header", message: `cannot be parsed (${error.code ?? "malformed request"})` },
      };
  }
}

/**
 * Makes the errors Node answers before any handler runs (malformed framing, oversized headers,
 * timeouts, an unsupported `Expect`) answer `application/problem+json` like everything else.
 */
export function answerTransportErrors(server: Server, log?: (line: string) => void): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A connection reset or closed by the client has nobody left to answer.
    if (error.code === "ECONNRESET" || error.code === "EPIPE" || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, detail, field } = describeClientError(error);
    log?.(`- - - ${status} client error ${error.code ?? ""}`.trimEnd());
    socket.end(problemBytes(status, detail, field));
  });
  server.on("checkExpectation", (request: IncomingMessage, response: ServerResponse) => {
    const body = JSON.stringify({
      type: "about:blank",
      title: TITLES[417],
      status: 417,
      detail: "The server meets no expectation but 100-continue.",
      errors: [{ in: "header", name: "Expect", message: "must be 100-continue or absent" }],
    });
    response.writeHead(417, {
      "content-type": "application/problem+json",
      "content-length": Buffer.byteLength(body),
      "x-content-type-options": "nosniff",
      connection: "close",
    });
    response.end(body);
    request.resume();
  });
}
