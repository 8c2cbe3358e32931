// The settings file's versions and the steps between them. Pure: a document in, the current
// shape out. Version 0 is the hand-written file of Pincer 0.1 (no schemaVersion field): its fields
// are today's, so its step only stamps the version — an existing user keeps every setting.
export const SETTINGS_SCHEMA_VERSION = 1;

type Document = Record<string, unknown>;

/** Step N turns a version-N document into a version-(N+1) one. */
const STEPS: Record<number, (document: Document) => Document> = {
  0: (document) => ({ ...document, schemaVersion: 1 }),
};

export type MigrationResult = { ok: true; document: Document; fromVersion: number } | { ok: false; reason: string };

export function migrateSettingsDocument(document: Document): MigrationResult {
  const version = 'schemaVersion' in document ? document.schemaVersion : 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { ok: false, reason: `schemaVersion ${JSON.stringify(version)} is not a version number` };
  }
  if (version > SETTINGS_SCHEMA_VERSION) {
    return { ok: false, reason: `it was written by a newer Pincer (schemaVersion ${version}; this one reads up to ${SETTINGS_SCHEMA_VERSION})` };
  }
  let migrated = document;
  for (let step = version; step < SETTINGS_SCHEMA_VERSION; step++) migrated = STEPS[step]!(migrated);
  return { ok: true, document: migrated, fromVersion: version };
}
