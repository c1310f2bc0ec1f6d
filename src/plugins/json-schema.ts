import { toJsonSchema } from "@valibot/to-json-schema";
import { Manifest } from "./manifest";

/** The JSON Schema editors use for manifest.json (written to plugins/schema/manifest.json). */
export function manifestJsonSchema() {
  // `v.check` refinements have no JSON Schema form; the server still enforces them.
  const schema = toJsonSchema(Manifest, { errorMode: "ignore", typeMode: "input" });
  return { ...schema, $id: "https://opendray.dev/schema/manifest.schema.json", title: "OpenDray plugin manifest" };
}

export const manifestJsonSchemaText = () => `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;

if (import.meta.main) {
  const out = new URL("../../plugins/schema/manifest.schema.json", import.meta.url).pathname;
  await Bun.write(out, manifestJsonSchemaText());
  console.log(`wrote ${out}`);
}
