import { z } from 'zod';

/** A host key the SFTP server offers, as health and rotation answers show it. */
export const HostKeySummarySchema = z
  .object({
    type: z.string().meta({ description: 'ssh-rsa, ecdsa-sha2-nistp256 or ssh-ed25519' }),
    fingerprint: z.string().meta({ description: 'SHA256:… as ssh-keygen -l prints it' }),
    publicKey: z.string().meta({ description: 'the known_hosts form: type and base64' }),
  })
  .meta({ id: 'HostKey' });
