// node:test writes its TAP output only when the event loop turns, which a run of synchronous tests never lets
// happen: a failure would reach Stryker (forceBail) only at the end of the whole suite. A test that waits for a
// timer, placed between a suite's quick tests and its slow ones, lets Stryker see a failure of the quick ones
// and stop the process before the slow ones run.
import { it } from 'node:test';

let n = 0;
export function flush(): void {
  it(`(flush the test output ${++n})`, () => new Promise<void>((resolve) => setTimeout(resolve, 10)));
}
