/**
 * What a response schema lets out, without checking the rest: a function built once per
 * schema that copies the fields the schema declares (through objects, arrays, optional and
 * nullable values, discriminated unions and records) and drops every other, so a field not
 * declared in routes/_api_schemas.ts never leaves, as when each answer was parsed against its
 * schema. Parsing (zod checks every value too) was 5 % of a 1M kiosk's busy time under search
 * load, for answers built to fit their schema; tests/api_responses_conform_test.ts parses many
 * real answers against the schemas instead.
 *
 * An answer that already holds nothing else goes out as it is: a second compiled function
 * walks it without allocating and says whether the copy would drop anything. Copying every
 * search answer was a quarter of what a 1M kiosk allocated per first-time search, and, caught
 * half-built or half-serialised by V8's young collections, half of what those collections
 * had to keep (docs/SEARCH.md, eighth round).
 */
import type { z } from "zod";

type Project = (value: unknown) => unknown;

// The parts of zod's definition objects the projection reads.
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const SCALARS = new Set([
  "string",
  "number",
  "int",
  "boolean",
  "bigint",
  "enum",
  "literal",
  "null",
  "undefined",
  "date",
]);

const asIs: Project = (value) => value;

function refuse(expected: string, value: unknown): never {
  // A route built an answer its schema does not describe: a bug, answered as a 500.
  throw new TypeError(`risposta fuori schema: atteso ${expected}, trovato ${typeof value}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * An object's projection as one function compiled for its fields: a read, a test and a store
 * per declared field, with no loop over a list of pairs and an object literal of its own
 * shape. The generic loop was the hottest line of a 1M kiosk's search answers (6 % of the
 * main thread under load). Field names enter the code only as JSON string literals.
 */
function objectProjection(shape: Record<string, z.ZodType>): Project {
  const names = Object.keys(shape);
  const projects = names.map((name) => build(shape[name] as z.ZodType));
  const lines = names.map((name, i) => {
    const key = JSON.stringify(name);
    // A scalar field is copied as it is: no call.
    const copy = projects[i] === asIs ? "f" : `p[${i}](f)`;
    return `f = v[${key}]; if (f !== undefined) out[${key}] = ${copy};`;
  });
  const body = `return function (v) {
    if (typeof v !== "object" || v === null || Array.isArray(v)) refuse("un oggetto", v);
    const out = {};
    let f;
    ${lines.join("\n    ")}
    return out;
  };`;
  return new Function("p", "refuse", body)(projects, refuse) as Project;
}

function unionProjection(def: Def): Project {
  const options = def.options ?? [];
  const key = def.discriminator;
  if (key === undefined) {
    if (options.every((o) => SCALARS.has(defOf(o).type))) return asIs;
    throw new Error("proiezione: unione di oggetti senza discriminante");
  }
  const byTag = new Map<unknown, Project>();
  for (const option of options) {
    const project = build(option);
    const tag = defOf(option).shape?.[key];
    for (const value of (tag && defOf(tag).values) ?? []) byTag.set(value, project);
  }
  return (value) => {
    const project = isPlainObject(value) ? byTag.get(value[key]) : undefined;
    return project ? project(value) : refuse(`"${key}" tra quelli dello schema`, value);
  };
}

function build(schema: z.ZodType): Project {
  const def = defOf(schema);
  if (SCALARS.has(def.type)) return asIs;
  switch (def.type) {
    case "object":
      return objectProjection(def.shape ?? {});
    case "array": {
      const project = build(def.element as z.ZodType);
      return (value) => Array.isArray(value) ? value.map(project) : refuse("una lista", value);
    }
    case "optional":
    case "nullable": {
      const project = build(def.innerType as z.ZodType);
      return (value) => value === undefined || value === null ? value : project(value);
    }
    case "record": {
      const project = build(def.valueType as z.ZodType);
      return (value) => {
        if (!isPlainObject(value)) refuse("un oggetto", value);
        const out: Record<string, unknown> = {};
        for (const [name, field] of Object.entries(value)) out[name] = project(field);
        return out;
      };
    }
    case "union":
      return unionProjection(def);
    default:
      throw new Error(`proiezione: tipo di schema non previsto (${def.type})`);
  }
}

/**
 * Whether a value would come out of its projection unchanged as JSON (same fields, same
 * values; only the order of the fields may differ); undefined where any value does (a scalar).
 */
type Fits = (value: unknown) => boolean;

function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  // Anything else may carry a toJSON or inherited fields that JSON and a copy treat apart.
  return proto === Object.prototype || proto === null;
}

/**
 * An object's check as one function compiled for its fields, as objectProjection is: every
 * own field must be declared (or undefined, which neither JSON nor the copy keeps), and every
 * declared field that is not a scalar must fit in turn. `for…in` over a plain object walks
 * V8's cached key list: nothing is allocated.
 */
function objectFit(shape: Record<string, z.ZodType>): Fits {
  const names = Object.keys(shape);
  const fits = names.map((name) => buildFit(shape[name] as z.ZodType));
  const cases = names.map((name) => `case ${JSON.stringify(name)}:`).join(" ");
  const nested = names.flatMap((name, i) =>
    fits[i]
      ? [`f = v[${JSON.stringify(name)}]; if (f !== undefined && !c[${i}](f)) return false;`]
      : []
  );
  const body = `return function (v) {
    if (!isPlain(v)) return false;
    for (const k in v) {
      switch (k) {
        ${cases} break;
        default: if (v[k] !== undefined) return false;
      }
    }
    let f;
    ${nested.join("\n    ")}
    return true;
  };`;
  return new Function("c", "isPlain", body)(fits, isPlain) as Fits;
}

function unionFit(def: Def): Fits | undefined {
  const options = def.options ?? [];
  const key = def.discriminator;
  // A union of scalars is copied as it is; one without a discriminator is refused at build.
  if (key === undefined) return undefined;
  const byTag = new Map<unknown, Fits>();
  for (const option of options) {
    const fits = buildFit(option) ?? (() => true);
    const tag = defOf(option).shape?.[key];
    for (const value of (tag && defOf(tag).values) ?? []) byTag.set(value, fits);
  }
  return (value) => {
    const fits = isPlain(value) ? byTag.get(value[key]) : undefined;
    return fits !== undefined && fits(value);
  };
}

function buildFit(schema: z.ZodType): Fits | undefined {
  const def = defOf(schema);
  if (SCALARS.has(def.type)) return undefined;
  switch (def.type) {
    case "object":
      return objectFit(def.shape ?? {});
    case "array": {
      const fits = buildFit(def.element as z.ZodType);
      if (!fits) return Array.isArray;
      return (value) => {
        if (!Array.isArray(value)) return false;
        for (let i = 0; i < value.length; i++) if (!fits(value[i])) return false;
        return true;
      };
    }
    case "optional":
    case "nullable": {
      const fits = buildFit(def.innerType as z.ZodType);
      return fits && ((value) => value === undefined || value === null || fits(value));
    }
    case "record": {
      const fits = buildFit(def.valueType as z.ZodType);
      return (value) => {
        if (!isPlain(value)) return false;
        if (!fits) return true;
        for (const name in value) if (!fits(value[name])) return false;
        return true;
      };
    }
    case "union":
      return unionFit(def);
    default:
      throw new Error(`proiezione: tipo di schema non previsto (${def.type})`);
  }
}

const built = new WeakMap<z.ZodType, Project>();

/**
 * The projection of `schema`, built on first use: the value itself when it fits the schema
 * exactly, else its copy with only the declared fields (or a TypeError for a value of
 * another shape).
 */
export function projectionOf<S extends z.ZodType>(schema: S): (value: z.input<S>) => z.output<S> {
  let project = built.get(schema);
  if (!project) {
    const copy = build(schema);
    const fits = buildFit(schema);
    project = fits ? (value) => fits(value) ? value : copy(value) : copy;
    built.set(schema, project);
  }
  return project as (value: z.input<S>) => z.output<S>;
}
