// Runs one cell the way both front ends need it (VS Code controller, headless CLI): trust, target,
// variables, confirmation, timeout, execution, then stamped outputs and log rows. UI-specific questions
// come in through `RunnerUi`.
import type { Attributes, CellOutput } from '../format/model.js';
import type { FrontMatter } from '../format/frontMatter.js';
import { runnerOf, type Runner } from '../format/languages.js';
import type { NewLogRow } from '../log/chain.js';
import type { InputPrompt, PromptAnswer } from '../contract/prompt.js';
import { cellTargetName } from './cellTarget.js';
import { confirmationNeeded, confirmationPrompt, type ConfirmationPrompt } from './confirmPolicy.js';
import { eventRow, runRow, stampOutputs } from './record.js';
import type { SwitchableRedactor } from './switchableRedactor.js';
import type { Executor, ResolvedTarget } from '../contract/types.js';
import { declaredVariables, resolveVariables, type DeclaredVariable } from './variables.js';
import { runSecrets } from '../contract/secrets.js';
import { referencedNames } from '../runbook/references.js';
import { cellTimeoutMs } from '../contract/timeout.js';
import { Fleet, type FleetContext, type FleetGroup } from '../fleet/groups.js';
import { groupTarget, runGroup } from '../fleet/groupRun.js';

export interface RunnerUi {
  /** Asks for a variable's value (password box when secret); undefined when the operator cancelled. */
  askVariable(v: DeclaredVariable): Promise<string | undefined>;
  /** Asks before a destructive or confirm=true cell runs (`prompt`: the lines, the target in words, production). */
  confirm(question: string, detail: string[], prompt: ConfirmationPrompt): Promise<boolean>;
  /** Whether the workspace is trusted (nothing runs otherwise). */
  trusted(): boolean;
  /**
   * A running cell waits for input (sudo's password, `read`, y/N): ask the person, naming the cell and the
   * target. `signal` aborts when the cell ends first. Without this, such cells get end-of-input.
   */
  answerPrompt?(prompt: InputPrompt, context: { cellName: string; target: string }, signal: AbortSignal): Promise<PromptAnswer>;
}

export interface CellToRun {
  source: string;
  language: string;
  attributes: Attributes;
  /** The fence's language as written (`postgresql`): it narrows which connection a SQL cell uses. */
  fenceLanguage?: string;
  cellName: string;
  /**
   * Problems of the runbook's front matter (YAML or schema). Any problem blocks running: secret variables
   * and hosts are only known from a front matter that validates (DESIGN §3).
   */
  frontMatterProblems?: readonly string[];
}

export interface CellRunOutcome {
  status: 'ran' | 'skipped' | 'refused' | 'declined';
  /** True when the cell ran and exited 0. */
  ok: boolean;
  exitCode: number | null;
  /** Outputs for the notebook/document (undefined: leave the cell's outputs as they are). */
  outputs?: CellOutput[];
  rows: NewLogRow[];
  /** What to tell the operator when the cell did not run normally. */
  message?: string;
}

export interface RunHooks {
  signal?: AbortSignal;
  /** Called right before the executor starts (after every question was answered yes). */
  onStart?: (target: ResolvedTarget) => void;
  onStdout?: (s: string) => void;
  onStderr?: (s: string) => void;
}

export interface CellRunnerOptions {
  executors: Partial<Record<Runner, Executor>>;
  resolveTarget(name: string, frontMatter: FrontMatter | undefined): ResolvedTarget;
  defaultTarget: () => string;
  operator: string;
  redactor: SwitchableRedactor;
  ui: RunnerUi;
  defaultTimeoutMs?: () => number | undefined;
  /** The connection of SQL/PromQL cells without `db=` (`runbook run --db`). */
  defaultConnection?: () => string | undefined;
  /** Values given up front (CLI --var); answers are added once per session. */
  variables?: Record<string, string>;
  /** Where the runbook's inventory and the ssh config's aliases are, for host groups. */
  fleet?: FleetContext;
}

export class CellRunner {
  /** Values known in this session: given, defaults, and answers. */
  private readonly known: Record<string, string>;

  constructor(private readonly o: CellRunnerOptions) {
    this.known = { ...o.variables };
  }

  async run(cell: CellToRun, frontMatter: FrontMatter | undefined, hooks: RunHooks = {}): Promise<CellRunOutcome> {
    const base = { cellName: cell.cellName, operator: this.o.operator, targetLabel: '' };
    const runner = runnerOf(cell.language);
    const executor = runner && this.o.executors[runner];
    if (!runner || !executor) {
      const message = runner
        ? `${cell.language} cells cannot run yet in this version of Runbook Notebooks.`
        : `"${cell.language}" cells are not run: Runbook runs bash/sh/shell/zsh, sql, http and promql cells.`;
      return { status: 'skipped', ok: false, exitCode: null, rows: [], message };
    }
    if (cell.frontMatterProblems?.length) {
      const message = `the front matter has errors, so nothing runs until they are fixed: ${cell.frontMatterProblems.join('; ')}`;
      return { status: 'refused', ok: false, exitCode: null, rows: [], message: `not run: ${message}` };
    }
    let target: ResolvedTarget;
    const defaultConnection = this.o.defaultConnection?.();
    const choice = { ...(cell.fenceLanguage !== undefined ? { fenceLanguage: cell.fenceLanguage } : {}), ...(defaultConnection ? { defaultConnection } : {}) };
    const targetName = cellTargetName(cell.attributes, cell.language, frontMatter, this.o.defaultTarget(), choice);
    const fleet = new Fleet(frontMatter, this.o.fleet);
    let group: FleetGroup | undefined;
    try {
      group = runner === 'shell' ? fleet.group(targetName) : undefined;
      target = group ? groupTarget(group) : this.o.resolveTarget(targetName, fleet.frontMatter());
    } catch (e) {
      return this.refuse(base, cell, `cannot run on "${targetName}": ${(e as Error).message}`, targetName);
    }
    base.targetLabel = target.label;
    if (!this.o.ui.trusted()) {
      return this.refuse(base, cell, 'the workspace is not trusted: nothing runs until you trust it');
    }
    const variables = await this.variablesFor(cell, frontMatter);
    if (typeof variables === 'string') return this.refuse(base, cell, variables);

    const rows: NewLogRow[] = [];
    const need = confirmationNeeded(cell.source, cell.attributes, cell.language, frontMatter, choice);
    if (need) {
      const prompt = confirmationPrompt(cell.cellName, cell.source, target, need, frontMatter);
      const yes = await this.o.ui.confirm(prompt.question, need.reasons, prompt);
      rows.push(eventRow(yes ? 'confirm' : 'decline', base, cell.source, need.reasons.join('; ')));
      if (!yes) return { status: 'declined', ok: false, exitCode: null, rows, message: `not run: declined on ${prompt.where}` };
    }
    if (hooks.signal?.aborted) return { status: 'declined', ok: false, exitCode: null, rows, message: 'not run: cancelled' };
    const timeoutMs = cellTimeoutMs(cell.attributes, this.o.defaultTimeoutMs?.());
    hooks.onStart?.(target);
    if (group) {
      return runGroup({ cell, group, fleet, executor, resolveTarget: this.o.resolveTarget, frontMatter, variables, operator: this.o.operator,
        redact: (s) => this.o.redactor.redact(s), hooks, rows, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
    }
    const ui = this.o.ui;
    const context = { cellName: cell.cellName, target: target.label };
    const result = await executor.run({
      source: cell.source, language: cell.language, attributes: cell.attributes, cellName: cell.cellName, target, ...choice,
      frontMatter, variables: { ...variables, RUNBOOK_TARGET: target.name }, signal: hooks.signal, timeoutMs, onStdout: hooks.onStdout, onStderr: hooks.onStderr,
      ...(ui.answerPrompt ? { onPrompt: (p: InputPrompt, signal: AbortSignal) => ui.answerPrompt!(p, context, signal) } : {}),
    }).catch((e: Error) => {
      // An error may quote what it failed on (a URL, a command line): secrets never leave in it.
      throw new Error(this.o.redactor.redact(e.message));
    });
    if (result.message) result.message = this.o.redactor.redact(result.message);
    const ctx = { cellName: cell.cellName, target, operator: this.o.operator };
    const outputs = stampOutputs(result, ctx);
    rows.push(runRow(result, ctx, cell.source, outputs));
    const outcome: CellRunOutcome = {
      status: 'ran', ok: result.exitCode === 0 && !result.cancelled && !result.timedOut, exitCode: result.exitCode,
      outputs, rows,
    };
    if (result.message) outcome.message = result.message;
    return outcome;
  }

  /** The value given or answered in this session (undefined: not asked yet; defaults are not included). */
  sessionValue(name: string): string | undefined {
    return this.known[name];
  }

  /** Sets a variable for this session (the context view's "Re-enter"); the next run uses it. */
  setVariable(name: string, value: string): void {
    this.known[name] = value;
  }

  /** Forgets a variable's session value: the next cell that uses it asks again (or takes the default). */
  clearVariable(name: string): void {
    delete this.known[name];
  }

  /** The variables for a run, asking for missing ones the cell uses; a string explains a refusal. */
  private async variablesFor(cell: CellToRun, fm: FrontMatter | undefined): Promise<Record<string, string> | string> {
    const declared = declaredVariables(fm);
    const used = referencedNames(cell.source, cell.language);
    const { missing } = resolveVariables(declared, this.known);
    for (const v of missing) {
      if (!used.has(v.name)) continue;
      const answer = await this.o.ui.askVariable(v);
      if (answer === undefined) return `variable ${v.name} is needed and was not given`;
      this.known[v.name] = answer;
    }
    const { values } = resolveVariables(declared, this.known);
    this.o.redactor.setSecrets(runSecrets(fm, values));
    return values;
  }

  private refuse(base: { cellName: string; operator: string; targetLabel: string }, cell: CellToRun, message: string,
    targetLabel?: string): CellRunOutcome {
    const row = eventRow('refuse', { ...base, targetLabel: base.targetLabel || targetLabel || '' }, cell.source, message);
    return { status: 'refused', ok: false, exitCode: null, rows: [row], message: `not run: ${message}` };
  }
}
