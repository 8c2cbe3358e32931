// Device tokens the reference gateway issues in hello-ok. OpenClaw persists paired devices, so a
// device token keeps working after a gateway restart; deriving it from the shared token gives the
// same effect without a state file, and changing the shared token revokes every device token.
import crypto from 'node:crypto';

export function deviceTokenFor(sharedToken: string, deviceId: string): string {
  return crypto.createHmac('sha256', sharedToken).update(`device-token|${deviceId}`).digest('base64url');
}
