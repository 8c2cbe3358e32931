// Secrets never leave the core in clear text: every log line, log-tail entry and diagnostics
// export passes through a redactor that knows the current secrets.

export type Redactor = (text: string) => string;

export const REDACTED = '[redacted]';

export function createRedactor(secrets: readonly string[]): Redactor {
  // Short strings would redact ordinary words; real tokens are long and random.
  const live = secrets.filter((secret) => secret.length >= 8);
  return (text) => {
    let result = text;
    for (const secret of live) result = result.split(secret).join(REDACTED);
    return result;
  };
}
