// What the node driver (run-extension-tests.ts) and the in-VS-Code test extension exchange as JSON files.
// Expectations are computed in plain Node with the core parser; the extension checks VS Code against them.

export interface ExpectedCell {
  kind: 'markdown' | 'code';
  /** Language id the core maps the fence language to ('' when the fence has none). */
  language: string;
  source: string;
}

export interface ExpectedNotebook {
  /** Path relative to the workspace folder. */
  file: string;
  cells: ExpectedCell[];
  /** A code cell that can be edited to check that an edit changes only that cell's bytes. */
  edit?: {
    /** Index among the core's code cells. */
    codeIndex: number;
    newSource: string;
    /** The whole file after the edit and a save. */
    expectedText: string;
  };
}

export interface E2eConfig {
  /** Absolute path of the workspace folder (a temporary copy of samples/). */
  workspace: string;
  /** Where the extension writes E2eResults. */
  resultFile: string;
  /** Extension id (publisher.name) of the extension under test. */
  extensionId: string;
  notebookType: string;
  notebooks: ExpectedNotebook[];
  /** A plain .md file (not *.runbook.md) for the runbook.openAsRunbook command. */
  plainMarkdown: ExpectedNotebook;
  /** Another plain .md file, opened with runbook.openAsRunbook from its active text editor. */
  plainMarkdownNoArg: string;
  /** A *.runbook.md no test has opened yet, opened with vscode.open to check the default editor. */
  defaultOpen: string;
  /** Copies of the samples (relative to the workspace) that the save tests open and save. */
  saveChecks: string[];
  /** Folder (relative to the workspace) where tests may write files. */
  scratch: string;
  /** The CVD sample (relative to the workspace; its drill scenarios are in drills/ next to it) for the drill test. */
  drillSample?: string;
  /**
   * Absolute folder through which the tests ask the driver for work in the browser (screenshots): the test
   * writes `<id>.request.json` (a UiRequest), the driver answers with `<id>.reply.json` (a UiReply).
   */
  uiRequests: string;
  /**
   * The throw-away user whose sudo needs a password (test/harness/sudoUser.ts) for the prompt test; the
   * driver types this password into the input box, the test checks it is nowhere in the record.
   */
  sudo?: { user: string; password: string };
  /** Where the report test exports the record as PDF (absolute); the driver turns its pages into PNGs. */
  reportPdf: string;
  /**
   * Issue 15: a runbook (relative to the workspace) an alert link opens as an incident, the file its bash cell
   * would create if anything ran it, and the loopback Prometheus its promql cell charts (absent: not installed).
   */
  alertLink: { runbook: string; marker: string; prometheusUrl?: string };
}

export interface UiRequest {
  id: string;
  /** screenshot: take one; open-url: open `url` in a new tab of the browser (a link the person clicks). */
  kind: 'screenshot' | 'open-url';
  /** PNG file name in test-results/. */
  file: string;
  url?: string;
  /** Texts that must be visible somewhere in the page (the workbench or the notebook's webviews) first. */
  expectText?: string[];
  /** Texts that must not be visible anywhere (a secret's value). */
  rejectText?: string[];
}

export interface UiReply {
  id: string;
  ok: boolean;
  error?: string;
  /** Absolute path of the screenshot. */
  file?: string;
}

export interface TestResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

export interface E2eResults {
  vscodeVersion: string;
  done: true;
  results: TestResult[];
}
