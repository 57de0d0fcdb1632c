/**
 * A send worker "process" that can die the way a killed container does: from its death on, every
 * call it makes through its ports hangs, so nothing it had in flight is cleaned up, confirmed or
 * released, and the run in progress ends with the error that killed it. Its messages come back
 * after the visibility timeout, as SQS gives back a dead Lambda's batch.
 */

/** A promise that never settles: what a dead process's calls return. */
function hang(): Promise<never> {
  return new Promise<never>(() => undefined);
}

export class MortalProcess {
  dead = false;
  private readonly death: Promise<never>;
  private reject!: (error: Error) => void;

  /** `isFatal`: the errors a port throws to kill the process. */
  constructor(private readonly isFatal: (error: unknown) => error is Error) {
    this.death = new Promise<never>((_, reject) => {
      this.reject = reject;
    });
    this.death.catch(() => undefined);
  }

  /** Dies of `error` (the first death counts); what the caller gets back never settles. */
  die(error: Error): Promise<never> {
    if (!this.dead) {
      this.dead = true;
      this.reject(error);
    }
    return hang();
  }

  /** `work`, or the error the process dies of first. */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.death]);
  }

  /** Every object among `ports` as this process sees it (see {@link mortal}). */
  mortalPorts<P extends object>(ports: P): P {
    const out: Record<string, unknown> = {};
    for (const [name, port] of Object.entries(ports)) {
      out[name] = typeof port === 'object' && port !== null ? this.mortal(port as object) : port;
    }
    return out as P;
  }

  /** `port` whose calls hang once the process is dead, and kill it when they throw a fatal error. */
  mortal<P extends object>(port: P): P {
    return new Proxy(port, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (this.dead) return hang();
          let result: unknown;
          try {
            result = (value as (...a: unknown[]) => unknown).apply(target, args);
          } catch (error) {
            return this.failed(error);
          }
          if (!(result instanceof Promise)) return result;
          return result.then(
            (v) => (this.dead ? hang() : v),
            (error: unknown) => this.failed(error),
          );
        };
      },
    });
  }

  private failed(error: unknown): Promise<never> {
    if (this.isFatal(error)) return this.die(error);
    if (this.dead) return hang();
    throw error;
  }
}
