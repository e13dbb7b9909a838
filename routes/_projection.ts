/**
 * What a response schema lets out, without checking the rest: a function built once per
 * schema that copies the fields the schema declares (through objects, arrays, optional and
 * nullable values, discriminated unions and records) and drops every other, so a field not
 * declared in routes/_api_schemas.ts never leaves, as when each answer was parsed against its
 * schema. Parsing (zod checks every value too) was 5 % of a 1M kiosk's busy time under search
 * load, for answers built to fit their schema; tests/api_responses_conform_test.ts parses many
 * real answers against the schemas instead.
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

const built = new WeakMap<z.ZodType, Project>();

/** The projection of `schema`, built on first use. */
export function projectionOf<S extends z.ZodType>(schema: S): (value: z.input<S>) => z.output<S> {
  let project = built.get(schema);
  if (!project) {
    project = build(schema);
    built.set(schema, project);
  }
  return project as (value: z.input<S>) => z.output<S>;
}
