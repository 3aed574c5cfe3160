// Everything of the extension but the serializer: wires the thin VS Code adapters to the pure core. Its own
// bundle file (dist/extensionParts.js), which extension.ts loads after what is opening (see there when and why).
// Everything registered here is disposed with the extension.
import type * as vscode from 'vscode';
import { registerDiskGuard } from './notebook/diskGuard.js';
import { timed } from './core/util/perfLog.js';
import { registerDrillCommands } from './incident/drillCommands.js';
import { registerIncidentCommands } from './incident/incidentCommands.js';
import { registerAlertLinkHandler } from './incident/alertLinkHandler.js';
import { IncidentClockStatus } from './incident/incidentClock.js';
import { DrillSessions } from './kernel/drillSessions.js';
import { RunbookController } from './kernel/runbookController.js';
import { watchRecords } from './kernel/recordKeeper.js';
import { registerSessionCommands } from './kernel/sessionCommands.js';
import { ActiveRunbookTracker } from './providers/activeRunbookTracker.js';
import { registerCellStatusBar } from './providers/cellStatusBar.js';
import { ContextView } from './providers/contextView.js';
import { FrontMatterProblems } from './providers/frontMatterProblems.js';
import { RunbookLanguageClient } from './providers/languageClient.js';
import { TargetStatusBar } from './providers/targetStatusBar.js';
import { TimelineView } from './providers/timelineView.js';
import { registerOpenCommands } from './providers/openCommands.js';
import { registerSealCommand } from './providers/sealCommand.js';
import { registerShipCommands } from './providers/shipCommands.js';
import { SealStatusBar } from './providers/sealStatusBar.js';

/** What the extension returns from activate(): read by the e2e tests. */
export interface RunbookExtensionApi {
  /** Whether the language server process was started (only once a runbook is open). */
  languageServerStarted(): boolean;
  /** Which lookups of the language client's notebook sync are answered from the cell index. */
  languageClientIndexed(): string[];
}

/**
 * `kernel`: the notebook controller activation created (kernel/runbookKernel.ts); its runs are handed over here.
 * `readAt`: when a runbook notebook was last read (Date.now()), if one was: what waits for its open counts from then.
 */
export function activateParts(context: vscode.ExtensionContext, kernel: vscode.NotebookController, readAt?: number): RunbookExtensionApi {
  return timed('activate.parts', () => {
    context.subscriptions.push(
      new FrontMatterProblems(),
      registerOpenCommands(),
      registerShipCommands(context.extensionUri),
      registerDiskGuard(),
      watchRecords(),
    );
    const drills = new DrillSessions();
    const controller = new RunbookController(drills, kernel);
    const tracker = new ActiveRunbookTracker();
    const timeline = new TimelineView(tracker);
    const languageClient = new RunbookLanguageClient(context, (nb) => controller.busy(nb), readAt);
    context.subscriptions.push(controller, registerSessionCommands(controller), registerCellStatusBar(controller),
      new TargetStatusBar(controller), languageClient, tracker, timeline, new ContextView(tracker, controller),
      drills, registerIncidentCommands(drills, timeline), registerDrillCommands(drills), new IncidentClockStatus(),
      registerSealCommand(), new SealStatusBar(), registerAlertLinkHandler());
    return { languageServerStarted: () => languageClient.started, languageClientIndexed: () => languageClient.indexed };
  });
}
