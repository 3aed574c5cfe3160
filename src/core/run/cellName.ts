// A cell's name: its `name=` attribute, or a stable generated one.
import type { Attributes } from '../format/model.js';

export function cellNameOf(attributes: Attributes, codeIndex: number): string {
  const name = attributes.name;
  return typeof name === 'string' && name.trim() ? name.trim() : `cell-${codeIndex + 1}`;
}
