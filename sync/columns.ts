/**
 * A lossless columnar form of a list of JSON values, the heart of pull page encoding v2
 * (docs/SYNC.md). Values at the same place in the documents travel together: every street
 * of a page in one column, every role in another. Field names then appear once per page
 * (in the shapes of each object column), a column of few distinct values (localities,
 * roles, record types) becomes a small table and indices into it, decimal numbers written
 * as text and ISO dates become numbers, and sorted numbers become differences. A
 * compressor then finds the repeats close together instead of scattered through records.
 *
 * Decoding gives back what `JSON.parse(JSON.stringify(values))` would: same values, same
 * key order, keys whose value is undefined left out, as JSON does.
 */

/** Kinds of value, one letter each: null, false, true, number, string, object, array. */
type Kind = "z" | "f" | "t" | "n" | "s" | "o" | "a";

/** One column: the kinds of its values, then the values of each kind in their own column. */
export interface ColumnNode {
  /** One kind per value, or a single letter when every value has that kind. */
  k: string;
  n?: NumberColumn;
  s?: StringColumn;
  o?: ObjectColumn;
  a?: ArrayColumn;
}

/** Numbers; `d: 1` when each is written as its difference from the one before. */
export interface NumberColumn {
  v: number[];
  d?: 1;
}

/**
 * Strings, in one of seven forms: plain; each as the length of the start it shares with the
 * one before (`p`) and the rest (file names, ids); a table of distinct values (most
 * frequent first) and an index per value; decimal integers written as text (`"452"`),
 * alone or (`m`: "d" or "s" per value) beside the other strings of the column; ISO
 * dates (`"1987-05-17"`) as day numbers; lowercase hex of one length (sha256 digests) as
 * the base64 of their bytes, `w` hex digits each.
 */
export type StringColumn =
  | { v: string[] }
  | { p: number[]; v: string[] }
  | { t: string[]; i: number[] }
  | { int: NumberColumn }
  | { m: string; int: NumberColumn; rest: StringColumn }
  | { day: NumberColumn }
  | { x: string; w: number };

/** Objects: every key once, the distinct key lists (shapes), and one column per key. */
export interface ObjectColumn {
  keys: string[];
  /** Each shape is a list of indices into `keys`, in the objects' own key order. */
  sh: number[][];
  /** The shape of each object, left out when there is only one. */
  si?: number[];
  /** The values of `keys[j]`, from the objects that have it, in order. */
  c: ColumnNode[];
}

/** Arrays: the length of each, and all their elements in one column. */
export interface ArrayColumn {
  l: number[];
  e?: ColumnNode;
}

/** A column that does not describe the values it claims to (a corrupt or mixed-up page). */
export class ColumnError extends Error {}

// Differences of integers up to 2^52 stay exact doubles.
const DELTA_LIMIT = 2 ** 52;
const DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;
const ISO_DAY = /^([1-9][0-9]{3})-([0-9]{2})-([0-9]{2})$/;
const HEX = /^(?:[0-9a-f]{2})+$/;

/** The columnar form of `values` (JSON values, or anything JSON.stringify accepts). */
export function encodeColumn(values: readonly unknown[]): ColumnNode {
  const kinds: Kind[] = [];
  const numbers: number[] = [];
  const strings: string[] = [];
  const objects: object[] = [];
  const arrays: unknown[][] = [];
  for (const raw of values) {
    const value = toJsonValue(raw);
    if (value === null || value === undefined) kinds.push("z");
    else if (value === true) kinds.push("t");
    else if (value === false) kinds.push("f");
    else if (typeof value === "number") {
      // JSON has no NaN or Infinity: JSON.stringify writes them as null.
      if (Number.isFinite(value)) {
        kinds.push("n");
        numbers.push(value);
      } else kinds.push("z");
    } else if (typeof value === "string") {
      kinds.push("s");
      strings.push(value);
    } else if (Array.isArray(value)) {
      kinds.push("a");
      arrays.push(value);
    } else if (typeof value === "object") {
      kinds.push("o");
      objects.push(value);
    } else if (typeof value === "bigint") {
      throw new TypeError("a BigInt has no JSON form");
    } else kinds.push("z");
  }
  const node: ColumnNode = { k: kindsText(kinds) };
  if (numbers.length > 0) node.n = encodeNumbers(numbers);
  if (strings.length > 0) node.s = encodeStrings(strings);
  if (objects.length > 0) node.o = encodeObjects(objects);
  if (arrays.length > 0) node.a = encodeArrays(arrays);
  return node;
}

/** The `count` values a column holds; throws ColumnError when it does not add up. */
export function decodeColumn(node: unknown, count: number): unknown[] {
  if (!isObject(node) || typeof node.k !== "string") throw new ColumnError("column without kinds");
  const k = node.k;
  if (k.length !== count && !(k.length === 1 && count > 0)) {
    throw new ColumnError(`column of ${count} values has ${k.length} kinds`);
  }
  const uniform = k.length === 1 ? k : undefined;
  let nn = 0, ns = 0, no = 0, na = 0;
  if (uniform !== undefined) {
    if (uniform === "n") nn = count;
    else if (uniform === "s") ns = count;
    else if (uniform === "o") no = count;
    else if (uniform === "a") na = count;
  } else {
    for (let i = 0; i < k.length; i++) {
      const c = k.charCodeAt(i);
      if (c === 110) nn++;
      else if (c === 115) ns++;
      else if (c === 111) no++;
      else if (c === 97) na++;
    }
  }
  const numbers = nn > 0 ? decodeNumbers(node.n, nn) : [];
  const strings = ns > 0 ? decodeStrings(node.s, ns) : [];
  const objects = no > 0 ? decodeObjects(node.o, no) : [];
  const arrays = na > 0 ? decodeArrays(node.a, na) : [];
  if (uniform === "n") return numbers;
  if (uniform === "s") return strings;
  if (uniform === "o") return objects;
  if (uniform === "a") return arrays;
  const out = new Array<unknown>(count);
  let jn = 0, js = 0, jo = 0, ja = 0;
  for (let i = 0; i < count; i++) {
    switch (uniform ?? k[i]) {
      case "z":
        out[i] = null;
        break;
      case "t":
        out[i] = true;
        break;
      case "f":
        out[i] = false;
        break;
      case "n":
        out[i] = numbers[jn++];
        break;
      case "s":
        out[i] = strings[js++];
        break;
      case "o":
        out[i] = objects[jo++];
        break;
      case "a":
        out[i] = arrays[ja++];
        break;
      default:
        throw new ColumnError(`unknown kind ${JSON.stringify(k[i])}`);
    }
  }
  return out;
}

function toJsonValue(value: unknown): unknown {
  if (typeof value === "object" && value !== null && "toJSON" in value) {
    const toJson = value.toJSON;
    if (typeof toJson === "function") return toJson.call(value);
  }
  return value;
}

function kindsText(kinds: Kind[]): string {
  const first = kinds[0];
  if (first !== undefined && kinds.every((k) => k === first)) return first;
  return kinds.join("");
}

function digits(n: number): number {
  return String(n).length;
}

function encodeNumbers(values: number[]): NumberColumn {
  if (!values.every((v) => Number.isInteger(v) && Math.abs(v) <= DELTA_LIMIT)) return { v: values };
  const deltas = differences(values);
  // Differences only pay when the numbers climb (seqs, years, running numbers).
  let plain = 0, diff = 0;
  for (let i = 0; i < values.length; i++) {
    plain += digits(values[i] ?? 0);
    diff += digits(deltas[i] ?? 0);
  }
  return diff < plain ? { v: deltas, d: 1 } : { v: values };
}

function differences(values: number[]): number[] {
  const out = new Array<number>(values.length);
  let prev = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    // `+ 0` turns -0 into 0, as JSON would.
    out[i] = v - prev + 0;
    prev = v;
  }
  return out;
}

function sums(deltas: number[]): number[] {
  const out = new Array<number>(deltas.length);
  let acc = 0;
  for (let i = 0; i < deltas.length; i++) {
    acc += deltas[i] ?? 0;
    out[i] = acc;
  }
  return out;
}

/** Day number of an ISO date, or undefined when the text is not exactly one. */
function dayNumber(s: string): number | undefined {
  const m = ISO_DAY.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // "2023-02-30" is not a date, so not this column's form.
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return daysFromCivil(y, mo, d);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

// Days since 1970-01-01 and back, in plain arithmetic (H. Hinnant's civil calendar
// algorithms): a Date and toISOString per value made decoding a page several times slower.
function daysFromCivil(year: number, m: number, d: number): number {
  const y = m <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function dayText(day: number): string {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

function encodeStrings(values: string[]): StringColumn {
  const decimal = values.map((s) => DECIMAL.test(s));
  const decimals = decimal.filter(Boolean).length;
  if (decimals === values.length) return { int: encodeNumbers(values.map(Number)) };
  // Mostly numbers with a few "937/3" or "12 bis" among them (parcels, civic numbers).
  if (decimals * 2 >= values.length) {
    return {
      m: decimal.map((d) => (d ? "d" : "s")).join(""),
      int: encodeNumbers(values.filter((_, i) => decimal[i]).map(Number)),
      rest: encodeStrings(values.filter((_, i) => !decimal[i])),
    };
  }
  const days: number[] = [];
  for (const s of values) {
    const d = dayNumber(s);
    if (d === undefined) break;
    days.push(d);
  }
  if (days.length === values.length) return { day: encodeNumbers(days) };
  const width = values[0]?.length ?? 0;
  if (values.every((s) => s.length === width && HEX.test(s))) {
    return { x: hexToBase64(values, width), w: width };
  }
  const counts = new Map<string, number>();
  for (const s of values) counts.set(s, (counts.get(s) ?? 0) + 1);
  // A table pays when values repeat; unique ones (ids, hashes, file names) do not.
  if (counts.size * 2 > values.length) return sharedStarts(values) ?? { v: values };
  const table = [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
  const index = new Map(table.map((s, i) => [s, i]));
  return { t: table, i: values.map((s) => index.get(s) ?? 0) };
}

/** The shared-start form, when it removes enough to pay for its lengths. */
function sharedStarts(values: string[]): { p: number[]; v: string[] } | undefined {
  const p = new Array<number>(values.length);
  const v = new Array<string>(values.length);
  let prev = "", whole = 0, rest = 0;
  for (let i = 0; i < values.length; i++) {
    const s = values[i] ?? "";
    const limit = Math.min(s.length, prev.length);
    let n = 0;
    while (n < limit && s.charCodeAt(n) === prev.charCodeAt(n)) n++;
    // Never split a surrogate pair: each part must stay well-formed text.
    if (n > 0 && n < s.length && isHighSurrogate(s.charCodeAt(n - 1))) n--;
    p[i] = n;
    v[i] = s.slice(n);
    whole += s.length;
    rest += s.length - n + 2;
    prev = s;
  }
  return rest < whole * 0.6 ? { p, v } : undefined;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

const HEX_DIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hexToBase64(values: string[], width: number): string {
  const bytes = new Uint8Array(values.length * width / 2);
  let at = 0;
  for (const s of values) {
    for (let i = 0; i < width; i += 2) {
      bytes[at++] = (nibble(s.charCodeAt(i)) << 4) | nibble(s.charCodeAt(i + 1));
    }
  }
  let binary = "";
  // String.fromCharCode takes its bytes as arguments: a bounded number at a time.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** The value of a lowercase hex digit (the column was checked to hold only those). */
function nibble(code: number): number {
  return code <= 57 ? code - 48 : code - 87;
}

function base64ToHex(text: string, width: number, count: number): string[] {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new ColumnError("hex column is not base64");
  }
  if (
    !Number.isInteger(width) || width <= 0 || width % 2 !== 0 || binary.length * 2 !== width * count
  ) {
    throw new ColumnError(`hex column: expected ${count} values of ${width} digits`);
  }
  const out = new Array<string>(count);
  const perValue = width / 2;
  for (let i = 0; i < count; i++) {
    let s = "";
    for (let j = i * perValue; j < (i + 1) * perValue; j++) s += HEX_DIGITS[binary.charCodeAt(j)];
    out[i] = s;
  }
  return out;
}

function encodeObjects(values: object[]): ObjectColumn {
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const columns: unknown[][] = [];
  const shapes: number[][] = [];
  const shapeIndex = new Map<string, number>();
  const shapeOf: number[] = [];
  for (const obj of values) {
    const shape: number[] = [];
    for (const key of Object.keys(obj)) {
      const value = toJsonValue(Reflect.get(obj, key));
      // JSON.stringify leaves these keys out.
      if (value === undefined || typeof value === "function" || typeof value === "symbol") {
        continue;
      }
      let j = keyIndex.get(key);
      if (j === undefined) {
        j = keys.length;
        keys.push(key);
        keyIndex.set(key, j);
        columns.push([]);
      }
      shape.push(j);
      columns[j]?.push(value);
    }
    const signature = shape.join(",");
    let s = shapeIndex.get(signature);
    if (s === undefined) {
      s = shapes.length;
      shapes.push(shape);
      shapeIndex.set(signature, s);
    }
    shapeOf.push(s);
  }
  return {
    keys,
    sh: shapes,
    ...(shapes.length > 1 ? { si: shapeOf } : {}),
    c: columns.map((values) => encodeColumn(values)),
  };
}

function encodeArrays(values: unknown[][]): ArrayColumn {
  const elements: unknown[] = [];
  for (const a of values) {
    // JSON.stringify writes undefined, functions and symbols in an array as null.
    for (const e of a) elements.push(typeof e === "function" || typeof e === "symbol" ? null : e);
  }
  return {
    l: values.map((a) => a.length),
    ...(elements.length > 0 ? { e: encodeColumn(elements) } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function numberList(value: unknown, count: number, what: string): number[] {
  if (!Array.isArray(value) || value.length !== count) {
    throw new ColumnError(`${what}: expected ${count} numbers`);
  }
  for (const v of value) {
    if (typeof v !== "number") throw new ColumnError(`${what}: not a number`);
  }
  return value;
}

function decodeNumbers(node: unknown, count: number): number[] {
  if (!isObject(node)) throw new ColumnError("numbers missing");
  const v = numberList(node.v, count, "numbers");
  return node.d === 1 ? sums(v) : v;
}

function decodeStrings(node: unknown, count: number): string[] {
  if (!isObject(node)) throw new ColumnError("strings missing");
  if ("m" in node) {
    const m = node.m;
    if (typeof m !== "string" || m.length !== count || /[^ds]/.test(m)) {
      throw new ColumnError("mixed strings without a mark per value");
    }
    const nd = m.split("d").length - 1;
    const ints = nd > 0 ? decodeNumbers(node.int, nd) : [];
    const rest = nd < count ? decodeStrings(node.rest, count - nd) : [];
    let i = 0, j = 0;
    return Array.from(m, (c) => (c === "d" ? String(ints[i++]) : rest[j++] ?? ""));
  }
  if ("int" in node) return decodeNumbers(node.int, count).map(String);
  if ("day" in node) return decodeNumbers(node.day, count).map(dayText);
  if ("x" in node) {
    if (typeof node.x !== "string" || typeof node.w !== "number") {
      throw new ColumnError("hex column without its text or width");
    }
    return base64ToHex(node.x, node.w, count);
  }
  if ("t" in node) {
    const table = node.t;
    if (!Array.isArray(table) || !table.every((s) => typeof s === "string")) {
      throw new ColumnError("string table is not a list of strings");
    }
    return numberList(node.i, count, "string indices").map((i) => {
      const s: unknown = table[i];
      if (typeof s !== "string") throw new ColumnError(`string index ${i} out of the table`);
      return s;
    });
  }
  const v = node.v;
  if (!Array.isArray(v) || v.length !== count || !v.every((s) => typeof s === "string")) {
    throw new ColumnError(`strings: expected ${count}`);
  }
  if (!("p" in node)) return v;
  const p = numberList(node.p, count, "shared starts");
  const out = new Array<string>(count);
  let prev = "";
  for (let i = 0; i < count; i++) {
    const n = p[i] ?? 0;
    if (!Number.isInteger(n) || n < 0 || n > prev.length) {
      throw new ColumnError("shared start longer than the string before");
    }
    prev = prev.slice(0, n) + v[i];
    out[i] = prev;
  }
  return out;
}

function decodeObjects(node: unknown, count: number): object[] {
  if (!isObject(node)) throw new ColumnError("objects missing");
  const { keys, sh, c } = node;
  if (!Array.isArray(keys) || !keys.every((s) => typeof s === "string")) {
    throw new ColumnError("object keys are not strings");
  }
  if (!Array.isArray(sh) || sh.length === 0 || !Array.isArray(c) || c.length !== keys.length) {
    throw new ColumnError("object shapes or columns missing");
  }
  const shapes = sh.map((shape: unknown) => {
    const list = Array.isArray(shape) ? shape : [];
    if (!Array.isArray(shape) || new Set(list).size !== list.length) {
      throw new ColumnError("object shape is not a list of distinct keys");
    }
    return numberList(shape, shape.length, "shape").map((j) => {
      if (!Number.isInteger(j) || j < 0 || j >= keys.length) {
        throw new ColumnError(`shape key ${j} out of range`);
      }
      return j;
    });
  });
  const shapeOf = node.si === undefined ? undefined : numberList(node.si, count, "shape indices");
  if (shapeOf === undefined && shapes.length > 1) throw new ColumnError("shape indices missing");
  const perKey = new Array<number>(keys.length).fill(0);
  for (let i = 0; i < count; i++) {
    const shape = shapes[shapeOf ? shapeOf[i] ?? -1 : 0];
    if (!shape) throw new ColumnError(`shape index out of range`);
    for (const j of shape) perKey[j] = (perKey[j] ?? 0) + 1;
  }
  const values = c.map((child: unknown, j) => {
    const n = perKey[j] ?? 0;
    return n === 0 ? [] : decodeColumn(child, n);
  });
  // Per shape, its keys and their columns side by side: the loop below runs once per value
  // of the page, so it does no lookups it can avoid.
  const plans = shapes.map((shape) => ({
    keys: shape.map((j) => keys[j] ?? ""),
    columns: shape.map((j) => values[j] ?? []),
    slots: Int32Array.from(shape),
    proto: shape.some((j) => keys[j] === "__proto__"),
  }));
  const at = new Int32Array(keys.length);
  const out = new Array<object>(count);
  for (let i = 0; i < count; i++) {
    const plan = plans[shapeOf ? shapeOf[i] ?? 0 : 0];
    const obj: Record<string, unknown> = {};
    if (!plan) throw new ColumnError("shape index out of range");
    const { keys: names, columns, slots } = plan;
    for (let q = 0; q < names.length; q++) {
      const j = slots[q] ?? 0;
      const p = at[j] ?? 0;
      at[j] = p + 1;
      const value = columns[q]?.[p];
      const key = names[q] ?? "";
      // JSON.parse makes "__proto__" an own property; a plain assignment would not.
      if (plan.proto && key === "__proto__") {
        Object.defineProperty(obj, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else obj[key] = value;
    }
    out[i] = obj;
  }
  return out;
}

function decodeArrays(node: unknown, count: number): unknown[][] {
  if (!isObject(node)) throw new ColumnError("arrays missing");
  const lengths = numberList(node.l, count, "array lengths");
  let total = 0;
  for (const n of lengths) {
    if (!Number.isInteger(n) || n < 0) throw new ColumnError("array length is not a count");
    total += n;
  }
  const elements = total > 0 ? decodeColumn(node.e, total) : [];
  const out = new Array<unknown[]>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const n = lengths[i] ?? 0;
    out[i] = elements.slice(at, at + n);
    at += n;
  }
  return out;
}
