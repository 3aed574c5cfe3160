// When the language server starts after a runbook notebook opens (src/providers/lspStartDelay.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lspStartDelayMs } from '../../src/providers/lspStartDelay.js';

describe('the language server start after a notebook opens', () => {
  it('waits 2 s and 3 ms a cell, at most 15 s, from the open', () => {
    assert.equal(lspStartDelayMs(20), 2060);
    assert.equal(lspStartDelayMs(623), 3869);
    assert.equal(lspStartDelayMs(4203), 14_609);
    assert.equal(lspStartDelayMs(10_000), 15_000);
  });

  it('counts what already passed since the open (the rest of the extension loads after it)', () => {
    assert.equal(lspStartDelayMs(623, 2279), 1590);
    assert.equal(lspStartDelayMs(4203, 4112), 10_497);
    assert.equal(lspStartDelayMs(10_000, 1000), 14_000);
  });

  it('never less than 0.5 s, so it does not come with the rest\'s own load; a clock gone back counts as nothing', () => {
    assert.equal(lspStartDelayMs(20, 1560), 500);
    assert.equal(lspStartDelayMs(20, 60_000), 500);
    assert.equal(lspStartDelayMs(20, -5000), 2060);
  });
});
