// The dashboard's view of the API: PincerApi as defined by the core, plus whether Pincer itself
// is reachable (a transport fact the page shows).
import type { PincerApi } from '../../electron/core/api';

export type Connection =
  | { state: 'connected' }
  | { state: 'lost'; retryInMs: number; attempt: number }
  /** The API refused our token: only a fresh link from `npm run serve` helps. */
  | { state: 'unauthorized' };

export interface DashboardApi extends PincerApi {
  onConnection(callback: (connection: Connection) => void): () => void;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class UnauthorizedError extends ApiError {
  constructor() {
    super('The dashboard link is missing its access token or the token is no longer valid.', 401);
    this.name = 'UnauthorizedError';
  }
}
