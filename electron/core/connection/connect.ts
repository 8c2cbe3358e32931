// connectGateway(): one socket, one handshake, one ControlConnection. A failed attempt ends its
// socket before the promise rejects, so a caller's retry never overlaps a dying socket.
import type WebSocket from 'ws';
import { assertPort } from '../port/probe';
import { createControlConnection, helloInfo } from './connection';
import { runHandshake } from './handshake';
import { forgetDeviceToken, loadDeviceIdentity, readDeviceToken, saveDeviceToken, type DeviceIdentity } from './identity';
import { closeSocket, openGatewaySocket, terminateSocket } from './socket';
import { ConnectError, type ConnectOptions, type ControlConnection } from './types';

function checkOptions(options: ConnectOptions): void {
  const { port, token, password, heartbeatMs, handshakeTimeoutMs, dataDir, clientVersion } = options;
  assertPort(port);
  if (password !== undefined) {
    if (typeof password !== 'string' || password === '') throw new TypeError('the gateway password must be a non-empty string');
  } else if (typeof token !== 'string' || token.trim() === '') throw new TypeError('the gateway token must be a non-empty string');
  if (!Number.isFinite(heartbeatMs) || heartbeatMs <= 0) throw new RangeError(`heartbeatMs must be > 0, got ${heartbeatMs}`);
  if (!Number.isFinite(handshakeTimeoutMs) || handshakeTimeoutMs <= 0) {
    throw new RangeError(`handshakeTimeoutMs must be > 0, got ${handshakeTimeoutMs}`);
  }
  if (typeof dataDir !== 'string' || dataDir === '') throw new TypeError('dataDir must be a non-empty path');
  if (typeof clientVersion !== 'string' || clientVersion === '') throw new TypeError('clientVersion must be a non-empty string');
}

async function endFailedSocket(ws: WebSocket, error: unknown): Promise<void> {
  // A peer that let the handshake time out is unresponsive: a close handshake would only wait.
  if (error instanceof ConnectError && error.code === 'TIMEOUT') await terminateSocket(ws);
  else await closeSocket(ws);
}

async function attempt(options: ConnectOptions, identity: DeviceIdentity, token: string, password?: string): Promise<ControlConnection> {
  const ws = openGatewaySocket(options.port, options.handshakeTimeoutMs);
  let established: { connection: ControlConnection; deviceToken?: string };
  try {
    established = await runHandshake(
      ws,
      { identity, token, password, clientVersion: options.clientVersion, timeoutMs: options.handshakeTimeoutMs, log: options.log },
      (hello) => ({ connection: createControlConnection(ws, helloInfo(hello), options), deviceToken: hello.auth.deviceToken }),
    );
  } catch (error) {
    await endFailedSocket(ws, error);
    throw error;
  }
  const { connection, deviceToken } = established;
  if (deviceToken !== undefined && deviceToken !== token && deviceToken !== '') {
    try {
      saveDeviceToken(options.dataDir, deviceToken);
    } catch (error) {
      options.log('warn', `could not store the device token: ${(error as Error).message}`);
    }
  }
  return connection;
}

/**
 * Opens the control connection. Uses the stored device token when there is one; if the gateway
 * refuses it, drops it and tries the shared token once. Rejects with ConnectError.
 */
export async function connectGateway(options: ConnectOptions): Promise<ControlConnection> {
  checkOptions(options);
  const identity = loadDeviceIdentity(options.dataDir, options.log);
  const deviceToken = readDeviceToken(options.dataDir);
  if (deviceToken !== undefined && deviceToken !== options.token) {
    try {
      return await attempt(options, identity, deviceToken);
    } catch (error) {
      if (!(error instanceof ConnectError && error.code === 'AUTH_FAILED')) throw error;
      forgetDeviceToken(options.dataDir);
      options.log(
        'warn',
        `gateway refused the stored device token (${error.details.gatewayCode ?? 'auth failed'}); dropped it, trying the shared token`,
      );
    }
  }
  return attempt(options, identity, options.token, options.password);
}
