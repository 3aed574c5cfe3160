// A registration made a little later (src/core/util/registerLater.ts; the cells' status bar provider, issue 17):
// made once after its delay, undone by dispose, and never made when disposed first.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { registerLater } from '../../src/core/util/registerLater.js';

describe('registerLater', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  const recorder = () => {
    const events: string[] = [];
    return { events, register: () => { events.push('registered'); return { dispose: () => events.push('disposed') }; } };
  };

  it('registers once, after the delay, and disposing undoes it', () => {
    const r = recorder();
    const later = registerLater(r.register, 1500);
    mock.timers.tick(1499);
    assert.deepEqual(r.events, []);
    mock.timers.tick(1);
    assert.deepEqual(r.events, ['registered']);
    mock.timers.tick(10_000);
    later.dispose();
    later.dispose();
    assert.deepEqual(r.events, ['registered', 'disposed']);
  });

  it('never registers when disposed before the delay', () => {
    const r = recorder();
    registerLater(r.register, 1500).dispose();
    mock.timers.tick(5000);
    assert.deepEqual(r.events, []);
  });
});
