#!/usr/bin/env bash
# Checks the OpenAPI document as a client author would: Redocly's recommended lint rules, then a TypeScript
# client generated with openapi-typescript + openapi-fetch that must type-check in strict mode and complete
# register → create project → list against the running API.
#   scripts/check-openapi.sh [http://127.0.0.1:8080]      (start the API first: make run)
# Needs node and npm (the npm registry); installs its tools in a temporary folder.
set -euo pipefail
api=${1:-http://127.0.0.1:8080}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent @redocly/cli@2.77.0 openapi-typescript@7.13.0 openapi-fetch typescript@5 @types/node@20 >/dev/null
curl -fsS "$api/openapi/v1.json" -o openapi.json
npx redocly lint openapi.json
npx openapi-typescript openapi.json -o schema.d.ts
cat > client.ts <<'TS'
import createClient from "openapi-fetch";
import type { paths } from "./schema";

const base = process.env.API!;
async function main(): Promise<void> {
  const anonymous = createClient<paths>({ baseUrl: base });
  const registered = await anonymous.POST("/v1/auth/register", { body: { email: `ts-${Date.now()}@example.com`, password: "correct horse battery staple", name: "TS" } });
  if (!registered.data) throw new Error(`register: ${JSON.stringify(registered.error)}`);
  const api = createClient<paths>({ baseUrl: base, headers: { Authorization: `Bearer ${registered.data.access_token}` } });
  const created = await api.POST("/v1/projects", { body: { name: "From TypeScript", description: null } });
  if (!created.data) throw new Error(`create: ${JSON.stringify(created.error)}`);
  const list = await api.GET("/v1/projects", { params: { query: { page_size: 10 } } });
  if (!list.data) throw new Error(`list: ${JSON.stringify(list.error)}`);
  console.log(`typescript client: created ${created.data.id}, listed ${list.data.items.map((p) => p.name).join(", ")}`);
}
main().catch((e) => { console.error(e); process.exit(1); });
TS
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "strict": true, "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "outDir": "out", "types": ["node"] }, "files": ["client.ts"] }
JSON
npx tsc -p .
API="$api" node out/client.js
