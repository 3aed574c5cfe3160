// Terminal escape sequences and control characters in command output. They are removed before redaction
// and storage: a colour code between two halves of a secret must not hide it from the redactor and then
// vanish in a viewer (the HTML export, a terminal) that puts the halves back together.

/* eslint-disable no-control-regex */
const SEQUENCES = new RegExp([
  '\\u001b\\[[0-?]*[ -/]*[@-~]', // CSI: colours, cursor movement
  '\\u009b[0-?]*[ -/]*[@-~]', // 8-bit CSI
  '\\u001b\\][^\\u0007\\u001b]*(?:\\u0007|\\u001b\\\\)?', // OSC: titles, hyperlinks
  '\\u001b[PX^_][^\\u001b]*(?:\\u001b\\\\)?', // DCS, SOS, PM, APC strings
  '\\u001b[ -/]*[0-~]', // other escapes (charset selection, keypad modes)
].join('|'), 'g');
/** Control characters a record never needs (tab, line feed and carriage return stay). */
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/* eslint-enable no-control-regex */

export function stripTerminalControls(text: string): string {
  if (!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u009b]/.test(text)) return text; // eslint-disable-line no-control-regex
  return text.replace(SEQUENCES, '').replace(CONTROLS, '');
}
