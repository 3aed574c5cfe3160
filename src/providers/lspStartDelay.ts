// When the language server starts after a runbook notebook opens (issue 17). Starting it means a Node process,
// and every cell sent to it and checked: not while the window still draws the record (two cores here: the
// window, the extension host and the server share them). 2 s, and 3 ms more a cell (a 4,200-cell record is
// drawn in about 5 s), at most 15 s, counted from the open: the rest of the extension, which starts the
// client, loads itself 1.5 s or more after it (extension.ts), and counting from there put the server's start
// onto a first run (3 MB bench: our kernel's share of the ✓ 72–78 ms instead of 33–47 ms).

/** The shortest wait, so that the start does not come with the rest of the extension's own load. */
const AT_LEAST_MS = 500;

/** How long to wait before starting the server for a notebook of `cells` cells read `sinceOpenMs` ago. */
export function lspStartDelayMs(cells: number, sinceOpenMs = 0): number {
  return Math.max(AT_LEAST_MS, Math.min(15_000, 2000 + cells * 3) - Math.max(0, sinceOpenMs));
}
