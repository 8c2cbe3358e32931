// Command line of the reference gateway, mirroring `openclaw gateway` / `openclaw doctor` for the parts
// Pincer uses. Pure: argv in, a command or a usage error out.

export type Bind = 'loopback' | 'lan';

export type Command = { kind: 'gateway'; port: number; bind: Bind } | { kind: 'doctor'; fix: boolean };

export type ParseResult = { ok: true; command: Command } | { ok: false; message: string };

export const DEFAULT_PORT = 18789;
const BINDS: readonly Bind[] = ['loopback', 'lan'];
/** Accepted for OpenClaw compatibility; the reference gateway is never interactive anyway. */
const DOCTOR_NOOP_FLAGS = new Set(['--yes', '--non-interactive']);

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function parseGateway(args: string[]): ParseResult {
  let port = DEFAULT_PORT;
  let bind: Bind = 'loopback';
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? args[++i];
    switch (flag) {
      case '--port': {
        const parsed = parsePort(value());
        if (parsed === undefined) return { ok: false, message: '--port needs a number from 1 to 65535' };
        port = parsed;
        break;
      }
      case '--bind': {
        const parsed = value();
        if (!BINDS.includes(parsed as Bind)) return { ok: false, message: `--bind must be one of ${BINDS.join(', ')}` };
        bind = parsed as Bind;
        break;
      }
      case '--token':
      case '--password':
        // A secret in argv is visible to every local user through ps.
        return { ok: false, message: `${flag} is not accepted: pass the token in OPENCLAW_GATEWAY_TOKEN` };
      case '--allow-unconfigured':
        break;
      default:
        return { ok: false, message: `unknown option ${args[i]}` };
    }
  }
  return { ok: true, command: { kind: 'gateway', port, bind } };
}

function parseDoctor(args: string[]): ParseResult {
  let fix = false;
  for (const arg of args) {
    if (arg === '--fix') fix = true;
    else if (!DOCTOR_NOOP_FLAGS.has(arg)) return { ok: false, message: `unknown doctor option ${arg}` };
  }
  return { ok: true, command: { kind: 'doctor', fix } };
}

/** argv without the node executable and script, e.g. `['--port', '19001', '--bind', 'loopback']`. */
export function parseCommandLine(argv: readonly string[]): ParseResult {
  const [first, ...rest] = argv;
  if (first === 'doctor') return parseDoctor(rest);
  if (first === 'gateway') return parseGateway(rest);
  return parseGateway([...argv]);
}
