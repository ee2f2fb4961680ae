// The local bearer token that editor tools send to the bridge. Generated once per machine user
// and kept in SecretStorage; 32 random bytes is far beyond guessing over loopback.
import { randomBytes } from 'node:crypto';

export function generateBridgeToken(): string {
  return randomBytes(32).toString('base64url');
}
