// Validates the Kubernetes manifests of a folder (default deploy/k8s), run by scripts/check-deploy.sh:
//  1. every document against the Kubernetes OpenAPI schema of its apiVersion and kind (kubernetes-models: the API's
//     schemas compiled to ajv validators — types, required fields, formats, enums);
//  2. what a schema cannot see, across documents: probes, the drain and render grace periods against the grace
//     periods, selectors that match the pods they mean, references to ConfigMaps and Deployments that exist, the
//     worker HPA's metric served by the prometheus-adapter rule.
// Prints one line per problem and exits 1 when there is any.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const dir = process.argv[2] ?? "deploy/k8s";
const problems = [];
const problem = (where, text) => problems.push(`${where}: ${text}`);

// --- 1. the documents and their schemas ---
const docs = [];
for (const file of readdirSync(dir).filter(f => /\.ya?ml$/.test(f)).sort()) {
  const parsed = parseAllDocuments(readFileSync(join(dir, file), "utf8"), { uniqueKeys: true });
  for (const doc of parsed) {
    for (const error of doc.errors) problem(file, `YAML: ${error.message}`);
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value == null) continue;
    docs.push({ file, value, where: `${file} ${value.kind ?? "?"}/${value.metadata?.name ?? "?"}` });
  }
}

for (const doc of docs) {
  const { apiVersion, kind } = doc.value;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    problem(doc.where, "apiVersion and kind are required");
    continue;
  }
  let Model;
  try {
    Model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    problem(doc.where, `unknown apiVersion/kind ${apiVersion}/${kind}`);
    continue;
  }
  try {
    new Model(doc.value).validate();
  } catch (error) {
    for (const e of error.errors ?? [{ instancePath: "", message: error.message }]) {
      problem(doc.where, `schema: ${e.instancePath || "/"} ${e.message}`);
    }
  }
}

// --- 2. across documents ---
const of = kind => docs.filter(d => d.value.kind === kind);
const workloads = [...of("Deployment"), ...of("Job")];
const podLabels = w => w.value.spec?.template?.metadata?.labels ?? {};
const matches = (selector, labels) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
  (selector?.matchExpressions ?? []).every(e =>
    e.operator === "In" ? e.values.includes(labels[e.key]) :
    e.operator === "NotIn" ? !e.values.includes(labels[e.key]) :
    e.operator === "Exists" ? e.key in labels : !(e.key in labels));
const selecting = selector => workloads.filter(w => matches(selector, podLabels(w)));
const configMaps = new Map(of("ConfigMap").map(c => [c.value.metadata?.name, c.value.data ?? {}]));
const externalSecrets = new Set(["renderowl"]); // created from the secret store, never a file here
const seconds = (value, where, what) => {
  const n = Number(value);
  if (!Number.isFinite(n)) problem(where, `${what} is not a number: ${value}`);
  return n;
};

for (const d of of("Deployment")) {
  const spec = d.value.spec ?? {};
  if (!matches(spec.selector, podLabels(d))) problem(d.where, "spec.selector does not match the pod template's labels");
  const pod = spec.template?.spec ?? {};
  const settings = {};
  for (const c of pod.containers ?? []) {
    for (const source of c.envFrom ?? []) {
      if (source.configMapRef && !configMaps.has(source.configMapRef.name)) problem(d.where, `ConfigMap ${source.configMapRef.name} is not defined`);
      if (source.configMapRef) Object.assign(settings, configMaps.get(source.configMapRef.name));
      if (source.secretRef && !externalSecrets.has(source.secretRef.name)) problem(d.where, `Secret ${source.secretRef.name} is not one the docs tell to create`);
    }
    for (const e of c.env ?? []) settings[e.name] = e.value;
    const portNames = new Set((c.ports ?? []).map(p => p.name));
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      const http = c[probe]?.httpGet;
      if (!http) { problem(d.where, `container ${c.name} has no ${probe} (httpGet)`); continue; }
      if (!["/live", "/ready"].includes(http.path)) problem(d.where, `${probe} asks ${http.path}; the app answers /live and /ready`);
      if (typeof http.port === "string" && !portNames.has(http.port)) problem(d.where, `${probe} names port ${http.port}, which the container does not declare`);
    }
    if (c.readinessProbe?.httpGet?.path !== "/ready") problem(d.where, "the readiness probe must ask /ready (it turns 503 while draining)");
    if (c.livenessProbe?.httpGet?.path !== "/live") problem(d.where, "the liveness probe must ask /live (a dependency outage must not restart pods)");
  }
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  const args = (pod.containers ?? [])[0]?.args ?? [];
  const role = args.includes("--role") ? args[args.indexOf("--role") + 1] : undefined;
  if (role === "api") {
    const preStop = (pod.containers ?? []).map(c => c.lifecycle?.preStop?.sleep?.seconds ?? 0)[0];
    if (!preStop) problem(d.where, "the API needs a preStop sleep so that endpoint removal reaches the proxies before the drain");
    const drain = seconds(settings.Shutdown__DrainSeconds ?? 5, d.where, "Shutdown__DrainSeconds");
    const needed = preStop + drain + 30; // Kestrel finishes in-flight requests for up to 30 s after the drain
    if (grace < needed) problem(d.where, `terminationGracePeriodSeconds ${grace} < preStop ${preStop} + drain ${drain} + 30 s in flight = ${needed}`);
  } else if (role === "worker") {
    const renderGrace = seconds(settings.Rendering__Dispatcher__ShutdownGraceSeconds ?? 20, d.where, "Rendering__Dispatcher__ShutdownGraceSeconds");
    if (grace < renderGrace + 15) problem(d.where, `terminationGracePeriodSeconds ${grace} < render grace ${renderGrace} + 15 s to record the releases`);
  } else {
    problem(d.where, "the container's args do not name a --role (api or worker)");
  }
}

for (const j of of("Job")) {
  const args = j.value.spec?.template?.spec?.containers?.[0]?.args ?? [];
  const env = j.value.spec?.template?.spec?.containers?.[0]?.env ?? [];
  if (args[0] === "db" && args[1] === "migrate" && !env.some(e => e.name === "Database__MigrateOnStartup" && e.value === "true")) {
    problem(j.where, "`db migrate` applies migrations only with Database__MigrateOnStartup=true");
  }
}

for (const s of of("Service")) {
  const selected = workloads.filter(w => Object.entries(s.value.spec?.selector ?? {}).every(([k, v]) => podLabels(w)[k] === v));
  if (selected.length === 0) problem(s.where, "selects no pods");
  for (const port of s.value.spec?.ports ?? []) {
    if (typeof port.targetPort === "string" && !selected.some(w => w.value.spec.template.spec.containers.some(c => (c.ports ?? []).some(p => p.name === port.targetPort)))) {
      problem(s.where, `targetPort ${port.targetPort} is not a port of the selected pods`);
    }
  }
}
for (const p of [...of("PodDisruptionBudget"), ...of("NetworkPolicy")]) {
  if (selecting(p.value.spec?.podSelector ?? p.value.spec?.selector).length === 0) problem(p.where, "selects no pods");
}

const adapterRules = [...configMaps.values()].flatMap(data => {
  if (!data["config.yaml"]) return [];
  const [config] = parseAllDocuments(data["config.yaml"]).map(x => x.toJS());
  return (config?.externalRules ?? []).map(r => r.name?.as).filter(Boolean);
});
for (const h of of("HorizontalPodAutoscaler")) {
  const target = h.value.spec?.scaleTargetRef ?? {};
  const deployment = of("Deployment").find(d => d.value.metadata?.name === target.name);
  if (target.kind !== "Deployment" || !deployment) { problem(h.where, `scales ${target.kind}/${target.name}, which is not defined`); continue; }
  for (const m of h.value.spec?.metrics ?? []) {
    if (m.type === "External" && !adapterRules.includes(m.external?.metric?.name)) {
      problem(h.where, `external metric ${m.external?.metric?.name} is served by no prometheus-adapter rule`);
    }
    if (m.type === "Resource" && !(deployment.value.spec.template.spec.containers ?? []).every(c => c.resources?.requests?.[m.resource.name])) {
      problem(h.where, `scales on ${m.resource.name} utilization but a container has no ${m.resource.name} request`);
    }
  }
}

for (const p of problems) console.log(`k8s: FAIL ${p}`);
console.log(`k8s: ${docs.length} documents, ${problems.length} problem(s)`);
process.exit(problems.length === 0 ? 0 : 1);
