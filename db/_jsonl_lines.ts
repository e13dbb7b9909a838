/**
 * Splits a byte stream into text lines with bounded memory: malformed UTF-8 becomes U+FFFD
 * (never an exception) and a line longer than `maxLineChars` is dropped while it streams
 * past, so one broken multi-gigabyte line cannot exhaust memory.
 */

/** One line of the file: its text, or `tooLong` when it was dropped for its size. */
export interface TextLine {
  number: number;
  text: string;
  tooLong: boolean;
}

/** Lines of `input`, numbered from 1; `onBytes` hears the running byte count. */
export async function* readLines(
  input: ReadableStream<Uint8Array>,
  maxLineChars: number,
  onBytes: (bytesRead: number) => void = () => {},
): AsyncGenerator<TextLine> {
  let bytes = 0;
  const counted = input.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        onBytes(bytes);
        controller.enqueue(chunk);
      },
    }),
  );
  // fatal: false replaces bad bytes instead of throwing; the BOM, if any, is dropped.
  // A TextDecoder in a TransformStream rather than TextDecoderStream: the latter's stream
  // types clash with Node's when both are in one type check.
  const decoder = new TextDecoder("utf-8", { fatal: false });
  const text = counted.pipeThrough(
    new TransformStream<Uint8Array, string>({
      transform(chunk, controller) {
        controller.enqueue(decoder.decode(chunk, { stream: true }));
      },
      flush(controller) {
        const tail = decoder.decode();
        if (tail) controller.enqueue(tail);
      },
    }),
  );
  let pending: string[] = [];
  let pendingChars = 0;
  let tooLong = false;
  let number = 0;
  const take = (): TextLine => {
    const joined = tooLong ? "" : pending.join("");
    const line = {
      number: ++number,
      text: joined.endsWith("\r") ? joined.slice(0, -1) : joined,
      tooLong,
    };
    pending = [];
    pendingChars = 0;
    tooLong = false;
    return line;
  };
  const keep = (piece: string) => {
    if (tooLong) return;
    pendingChars += piece.length;
    if (pendingChars > maxLineChars) {
      tooLong = true;
      pending = [];
      return;
    }
    pending.push(piece);
  };
  for await (const chunk of text) {
    let start = 0;
    while (true) {
      const newline = chunk.indexOf("\n", start);
      if (newline < 0) break;
      keep(chunk.slice(start, newline));
      yield take();
      start = newline + 1;
    }
    if (start < chunk.length) keep(chunk.slice(start));
  }
  if (pendingChars > 0 || tooLong) yield take();
}
