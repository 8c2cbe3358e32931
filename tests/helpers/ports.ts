// Tests use free ephemeral ports (never the default gateway port, where the user's real gateway may be): the core's picker.
export { pickFreePort as freePort } from '../../electron/core/port/free-port';
