import { createRequire } from 'node:module';

/**
 * Whether ssh2 loaded its native crypto binding (built by its install script, which package.json's
 * allowScripts permits). Without it ssh2 falls back to JavaScript ciphers, and uploads with
 * OpenSSH's preferred chacha20-poly1305 run at about half the speed.
 */
export function sshCryptoBindingLoaded(): boolean {
  const require = createRequire(import.meta.url);
  const crypto = require('ssh2/lib/protocol/crypto.js') as { bindingAvailable?: boolean };
  return crypto.bindingAvailable === true;
}
