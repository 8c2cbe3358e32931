// Tests use free ephemeral ports (never 18789, the user's real gateway port): the core's picker.
export { pickFreePort as freePort } from '../../electron/core/port/free-port';
