// The control connection to the gateway: import from here.
export { connectGateway } from './connect';
export {
  DEFAULT_REQUEST_TIMEOUT_MS,
  GatewayConnectionClosedError,
  GatewayRequestError,
  GatewayRequestTimeoutError,
  GatewayRestartingError,
  GatewayUnavailableError,
} from './rpc';
export { CLOSE_TIMEOUT_MS } from './socket';
export * from './types';
