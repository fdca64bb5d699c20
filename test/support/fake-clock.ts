import type { Clock } from '../../src/domain/clock.js';

/** Time moves only through this in tests (STYLE §5, §7). */
export class FakeClock implements Clock {
  #now: number;
  constructor(start: Date | string = '2026-11-27T00:00:00Z') {
    this.#now = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(at: Date | string): void {
    this.#now = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}
