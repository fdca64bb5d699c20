import { hash, verify } from '@node-rs/argon2';

/**
 * Application passwords are stored only as argon2id hashes (SPEC 3). Parameters follow
 * OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane).
 */
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 as const };

export function hashApplicationPassword(password: string): Promise<string> {
  return hash(password, options);
}

/** A hash of nothing anyone uses, verified when there is no real one so timing does not leak. */
const decoyHash = '$argon2id$v=19$m=19456,t=2,p=1$AN+75YRnF5EWagmq2qrtrQ$aDTT5larwPwhZt2hM/hJ/D3K3uKpS7sVh+yGaDHC8o0';

export async function verifyApplicationPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (passwordHash === undefined) {
    await verify(decoyHash, password);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch (error) {
    throw new Error('verifying an application password hash', { cause: error });
  }
}
