import { hash, verify } from '@node-rs/argon2';

/**
 * Application passwords are stored only as argon2id hashes (SPEC 3). Parameters follow
 * OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane).
 */
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 as const };

/** A hash of nothing anyone uses, verified when there is no real one so timing does not leak. */
const decoyHash = '$argon2id$v=19$m=19456,t=2,p=1$AN+75YRnF5EWagmq2qrtrQ$aDTT5larwPwhZt2hM/hJ/D3K3uKpS7sVh+yGaDHC8o0';

/** Thrown when more hashes wait than the queue holds: web answers 503 with Retry-After. */
export class PasswordWorkOverloaded extends Error {
  constructor() {
    super('too many password hashes waiting');
    this.name = 'PasswordWorkOverloaded';
  }
}

export interface PasswordHasherLimits {
  /** Hashes computed at once: each takes 19 MiB and a core for ~10 ms. */
  concurrency: number;
  /** Hashes allowed to wait; beyond, the request is refused at once rather than queued. */
  queue: number;
}

export const defaultPasswordHasherLimits: PasswordHasherLimits = { concurrency: 2, queue: 64 };

/**
 * Every argon2 computation of the process goes through here (issue #6 defect 6): at most
 * `concurrency` at once, a bounded queue behind them, so a flood of password posts costs
 * a bounded amount of memory and cannot push other requests' latency without limit.
 */
export class PasswordHasher {
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  constructor(private readonly limits: PasswordHasherLimits = defaultPasswordHasherLimits) {}

  hash(password: string): Promise<string> {
    return this.#run(() => hash(password, options));
  }

  /**
   * Whether `password` matches `passwordHash`; without a hash, a decoy is verified so the
   * answer takes as long (the uniform lookups of SPEC 1.1 step 3, 1.3, 1.7).
   */
  verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    return this.#run(async () => {
      if (passwordHash === undefined) {
        await verify(decoyHash, password);
        return false;
      }
      try {
        return await verify(passwordHash, password);
      } catch (error) {
        throw new Error('verifying an application password hash', { cause: error });
      }
    });
  }

  get load(): { running: number; waiting: number } {
    return { running: this.#running, waiting: this.#waiting.length };
  }

  async #run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limits.concurrency) {
      if (this.#waiting.length >= this.limits.queue) throw new PasswordWorkOverloaded();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running += 1;
    }
    try {
      return await work();
    } finally {
      const nextInLine = this.#waiting.shift();
      // The slot passes straight to the next in line; only when nobody waits is it freed.
      if (nextInLine !== undefined) nextInLine();
      else this.#running -= 1;
    }
  }
}
