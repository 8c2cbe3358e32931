// The user's OpenClaw config, re-read at most once a second: the supervisor asks for the settings
// (and so the config's port) on every step, and the front door on every request.
import { readUserConfig, type Env, type UserGatewayConfig } from './user-config';

const FRESH_MS = 1_000;

export class UserConfigCache {
  private cached?: { at: number; config: UserGatewayConfig };

  constructor(private readonly source: () => { env: Env; home: string }) {}

  get(now = Date.now()): UserGatewayConfig {
    if (!this.cached || now - this.cached.at >= FRESH_MS) {
      const { env, home } = this.source();
      this.cached = { at: now, config: readUserConfig(env, home) };
    }
    return this.cached.config;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
