// Validates the custom resources of the Kubernetes layouts (Istio, cert-manager, Gateway API)
// against their published schemas, the npm packages @kubernetes-models/*: node check.mjs <dir>.
// The statefulsets tests render every layout and write its custom resources to <dir>/valid/
// (each must pass), and wrong variants of them to <dir>/invalid/ ({"expect": <path>,
// "document": {...}}; each must fail at that path), so that this check is shown to fail.
//
// The published schemas are CRD schemas: they type every field they describe but do not forbid
// others (the API server prunes unknown fields, or refuses them under kubectl's strict field
// validation). A misspelt key would pass them, so this check also refuses every field the schema
// does not describe, found by probing the schema's own validator: a described field fails
// validation when given a value of the wrong type (a number, then an object); an undescribed one
// does not. metadata is left to the Java side (client-java's V1ObjectMeta, strictly).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication";
import { AuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy";
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import { Issuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer";
import { Gateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";

const MODELS = new Map(
  [PeerAuthentication, AuthorizationPolicy, Certificate, Issuer, Gateway, HTTPRoute].map((m) => [
    `${m.apiVersion}/${m.kind}`,
    m,
  ]),
);
// Every layout with custom resources must bring at least these kinds (guards against a test
// that silently wrote nothing).
const REQUIRED = [
  "security.istio.io/v1/PeerAuthentication",
  "security.istio.io/v1/AuthorizationPolicy",
  "cert-manager.io/v1/Certificate",
  "gateway.networking.k8s.io/v1/Gateway",
  "gateway.networking.k8s.io/v1/HTTPRoute",
];

/** The schema errors of one document: [] when it is valid. */
export function errors(doc) {
  const Model = MODELS.get(`${doc.apiVersion}/${doc.kind}`);
  if (!Model) {
    return [`no published schema known for ${doc.apiVersion}/${doc.kind}`];
  }
  const schemaErrors = run(Model, doc);
  if (schemaErrors.length > 0) {
    return schemaErrors;
  }
  const unknown = [];
  for (const [key, value] of Object.entries(doc)) {
    if (!["apiVersion", "kind", "metadata"].includes(key)) {
      probe(Model, doc, [key], value, unknown);
    }
  }
  return unknown.map((path) => `data/${path.join("/")}: the schema does not describe this field`);
}

function run(Model, doc) {
  try {
    new Model(doc).validate();
    return [];
  } catch (e) {
    const list = Array.isArray(e.errors) ? e.errors : [];
    return list.length > 0
      ? list.map((x) => `data${x.instancePath} ${x.message}`)
      : [String(e.message)];
  }
}

function probe(Model, doc, path, value, unknown) {
  const described = [12345.5, { probe: true }].some((wrong) => {
    const copy = structuredClone(doc);
    let node = copy;
    for (const p of path.slice(0, -1)) node = node[p];
    node[path.at(-1)] = wrong;
    return run(Model, copy).length > 0;
  });
  if (!described) {
    unknown.push(path);
    return;
  }
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      probe(Model, doc, [...path, Array.isArray(value) ? Number(k) : k], v, unknown);
    }
  }
}

function files(dir) {
  let out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (name.endsWith(".json")) out.push(p);
  }
  return out;
}

const root = process.argv[2];
if (!root) {
  console.error("usage: node check.mjs <dir with valid/ and invalid/>");
  process.exit(2);
}
let failures = 0;
const kinds = new Set();
const valid = files(join(root, "valid"));
for (const f of valid) {
  const doc = JSON.parse(readFileSync(f, "utf8"));
  kinds.add(`${doc.apiVersion}/${doc.kind}`);
  const e = errors(doc);
  if (e.length > 0) {
    failures++;
    console.error(`FAIL ${f}: ${e.join("; ")}`);
  }
}
const invalid = files(join(root, "invalid"));
for (const f of invalid) {
  const { expect, document } = JSON.parse(readFileSync(f, "utf8"));
  const e = errors(document);
  if (!e.some((m) => m.startsWith(`data${expect}`))) {
    failures++;
    console.error(`FAIL ${f}: expected an error at data${expect}, got: ${e.join("; ") || "none"}`);
  }
}
for (const k of REQUIRED) {
  if (!kinds.has(k)) {
    failures++;
    console.error(`FAIL ${root}: no ${k} among the rendered resources`);
  }
}
if (invalid.length < 4) {
  failures++;
  console.error(`FAIL ${root}: only ${invalid.length} wrong variants to refuse (expected >= 4)`);
}
console.log(
  `k8s-schemas: ${valid.length} custom resources valid, ${invalid.length} wrong variants refused` +
    (failures ? `, ${failures} failure(s)` : ""),
);
process.exit(failures ? 1 : 0);
