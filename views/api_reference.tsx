/**
 * `/api/docs`: the OpenAPI document as a page a person reads, rendered on the server from the
 * document itself (no reference UI from a CDN, no script), so it cannot say something else.
 */
import { Fragment } from "hono/jsx";
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { useI18n } from "../i18n/context.tsx";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null;
const objectAt = (v: unknown, key: string): Json => {
  const inner = isObject(v) ? v[key] : undefined;
  return isObject(inner) ? inner : {};
};
const textAt = (v: unknown, key: string): string => {
  const inner = isObject(v) ? v[key] : undefined;
  return typeof inner === "string" ? inner : "";
};

const refName = (ref: string) => ref.replace("#/components/schemas/", "");

/** A JSON Schema in a few words: "string", "array of Address", "one of a, b". */
const TypeOf: FC<{ schema: unknown }> = ({ schema }) => {
  if (!isObject(schema)) return <>any</>;
  const ref = textAt(schema, "$ref");
  if (ref) return <a href={`#schema-${refName(ref)}`}>{refName(ref)}</a>;
  if (Array.isArray(schema.enum)) return <>one of {schema.enum.map(String).join(", ")}</>;
  if ("const" in schema) return <>"{String(schema.const)}"</>;
  for (const key of ["anyOf", "oneOf"]) {
    const options = schema[key];
    if (Array.isArray(options)) {
      return (
        <>
          {options.map((o, i) => (
            <Fragment key={String(i)}>
              {i > 0 ? " or " : ""}
              <TypeOf schema={o} />
            </Fragment>
          ))}
        </>
      );
    }
  }
  const type = Array.isArray(schema.type) ? schema.type.join(" or ") : textAt(schema, "type");
  if (type === "array") {
    return (
      <>
        array of <TypeOf schema={schema.items} />
      </>
    );
  }
  const format = textAt(schema, "format");
  return <>{type || "any"}{format ? ` (${format})` : ""}</>;
};

/** The properties of an object schema as a table. */
const Properties: FC<{ schema: unknown }> = ({ schema }) => {
  const properties = objectAt(schema, "properties");
  const required = new Set(
    isObject(schema) && Array.isArray(schema.required) ? schema.required.map(String) : [],
  );
  return (
    <table class="table table-sm api-table">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Type</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(properties).map(([name, p]) => (
          <Fragment key={name}>
            <tr>
              <td>
                <code>{name}</code>
                {required.has(name) ? " (required)" : ""}
              </td>
              <td>
                <TypeOf schema={p} />
              </td>
              <td>{textAt(p, "description")}</td>
            </tr>
          </Fragment>
        ))}
      </tbody>
    </table>
  );
};

const Parameters: FC<{ parameters: unknown }> = ({ parameters }) =>
  Array.isArray(parameters) && parameters.length > 0
    ? (
      <table class="table table-sm api-table">
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col">In</th>
            <th scope="col">Type</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {parameters.map((p, i) => (
            <Fragment key={String(i)}>
              <tr>
                <td>
                  <code>{textAt(p, "name")}</code>
                  {isObject(p) && p.required === true ? " (required)" : ""}
                </td>
                <td>{textAt(p, "in")}</td>
                <td>
                  <TypeOf schema={objectAt(p, "schema")} />
                </td>
                <td>{textAt(p, "description")}</td>
              </tr>
            </Fragment>
          ))}
        </tbody>
      </table>
    )
    : null;

const Operation: FC<{ method: string; path: string; op: Json }> = ({ method, path, op }) => {
  const body = objectAt(objectAt(objectAt(op, "requestBody"), "content"), "application/json");
  const responses = objectAt(op, "responses");
  return (
    <section class="api-operation" id={`op-${textAt(op, "operationId")}`}>
      <h3 class="h5">
        <code>{method.toUpperCase()} {path}</code> — {textAt(op, "summary")}
      </h3>
      <p>{textAt(op, "description")}</p>
      <Parameters parameters={op.parameters} />
      {isObject(body.schema)
        ? (
          <>
            <p class="mb-1">JSON body:</p>
            <Properties schema={body.schema} />
          </>
        )
        : null}
      <ul>
        {Object.entries(responses).map(([status, r]) => {
          const schema = objectAt(objectAt(objectAt(r, "content"), "application/json"), "schema");
          const ref = textAt(r, "$ref");
          return (
            <Fragment key={status}>
              <li>
                <strong>{status}</strong>{" "}
                {ref ? "Too many requests: wait Retry-After seconds." : textAt(r, "description")}
                {isObject(schema) && textAt(schema, "$ref")
                  ? (
                    <>
                      {" → "}
                      <TypeOf schema={schema} />
                    </>
                  )
                  : ref
                  ? " → Error"
                  : null}
              </li>
            </Fragment>
          );
        })}
      </ul>
    </section>
  );
};

/** The reference page of `document` (an OpenAPI 3.1 document). */
export const ApiReferencePage: FC<{ document: Json }> = ({ document }) => {
  const info = objectAt(document, "info");
  const paths = objectAt(document, "paths");
  const schemas = objectAt(objectAt(document, "components"), "schemas");
  // The reference itself is the English OpenAPI document (marked lang="en"); the frame follows
  // the visitor's language.
  return (
    <Layout title={useI18n().t.api.title}>
      <div lang="en" class="api-reference">
        <h1>
          {textAt(info, "title")} <small class="text-secondary">v{textAt(info, "version")}</small>
        </h1>
        {textAt(info, "description").split("\n\n").map((p, i) => (
          <Fragment key={String(i)}>
            <p>{p.replaceAll("**", "").replaceAll("`", "")}</p>
          </Fragment>
        ))}
        <p>
          The machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI
          {" "}
          {textAt(document, "openapi")}).
        </p>
        <h2>Operations</h2>
        {Object.entries(paths).map(([path, methods]) => (
          <Fragment key={path}>
            {Object.entries(isObject(methods) ? methods : {}).map(([method, op]) => (
              <Fragment key={method}>
                <Operation method={method} path={path} op={isObject(op) ? op : {}} />
              </Fragment>
            ))}
          </Fragment>
        ))}
        <h2>Schemas</h2>
        {Object.entries(schemas).map(([name, schema]) => (
          <Fragment key={name}>
            <section id={`schema-${name}`}>
              <h3 class="h5">{name}</h3>
              {textAt(schema, "description") ? <p>{textAt(schema, "description")}</p> : null}
              {isObject(schema) && isObject(schema.properties)
                ? <Properties schema={schema} />
                : (
                  <p>
                    <TypeOf schema={schema} />
                  </p>
                )}
            </section>
          </Fragment>
        ))}
      </div>
    </Layout>
  );
};
