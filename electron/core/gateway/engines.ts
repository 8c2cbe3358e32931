// The subset of npm's semver ranges `engines.node` fields use: `||` alternatives of space-separated
// comparators (>=, >, <=, <, =, bare versions, ^ and ~, x-ranges). Pure.

export type Version = readonly [number, number, number];

export function parseVersion(text: string): Version | undefined {
  const match = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

type Comparator = (version: Version) => boolean;

function comparator(token: string): Comparator | undefined {
  const match = /^(>=|<=|>|<|=|\^|~)?\s*v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(token);
  if (!match) return undefined;
  const [, op = '', ...parts] = match;
  const wildcardAt = parts.findIndex((part) => part === undefined || part === 'x' || part === '*');
  const numbers = parts.map((part) => (part === undefined || part === 'x' || part === '*' ? 0 : Number(part))) as unknown as Version;
  const cmp = (version: Version) => compareVersions(version, numbers);
  // A partial version (24, 24.x) is the range of everything it leaves open.
  const upper = (at: number): Version => (at <= 0 ? [Infinity, 0, 0] : at === 1 ? [numbers[0] + 1, 0, 0] : [numbers[0], numbers[1] + 1, 0]);
  switch (op) {
    case '>=':
      return (v) => cmp(v) >= 0;
    case '>':
      return wildcardAt === -1 ? (v) => cmp(v) > 0 : (v) => compareVersions(v, upper(wildcardAt)) >= 0;
    case '<=':
      return wildcardAt === -1 ? (v) => cmp(v) <= 0 : (v) => compareVersions(v, upper(wildcardAt)) < 0;
    case '<':
      return (v) => cmp(v) < 0;
    case '^': {
      const at = numbers[0] > 0 ? 0 : numbers[1] > 0 ? 1 : 2;
      const ceiling: Version = at === 0 ? [numbers[0] + 1, 0, 0] : at === 1 ? [0, numbers[1] + 1, 0] : [0, 0, numbers[2] + 1];
      return (v) => cmp(v) >= 0 && compareVersions(v, ceiling) < 0;
    }
    case '~':
      return (v) => cmp(v) >= 0 && compareVersions(v, [numbers[0], numbers[1] + 1, 0]) < 0;
    default:
      if (wildcardAt === -1) return (v) => cmp(v) === 0;
      return (v) => cmp(v) >= 0 && compareVersions(v, upper(wildcardAt)) < 0;
  }
}

/** True when `version` satisfies `range`; an empty or unreadable range accepts everything. */
export function satisfies(version: Version, range: string | undefined): boolean {
  if (!range || range.trim() === '' || range.trim() === '*') return true;
  return range.split('||').some((alternative) => {
    // ">= 24" → ">=24": operators may be followed by spaces.
    const tokens = alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    const comparators = tokens.map(comparator);
    if (comparators.some((each) => each === undefined)) return true;
    return comparators.every((each) => each!(version));
  });
}
