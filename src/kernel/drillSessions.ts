// Live tabletop drills: a drill record's cells run only while its scenario is up (stand-ins first on PATH,
// every host pointed at the local drill target). The session ends when the record is closed or the drill
// is ended; a drill record opened later refuses to run rather than reach this machine's real tools.
import * as vscode from 'vscode';
import type { DrillSession } from '../core/drill/index.js';

export class DrillSessions implements vscode.Disposable {
  private readonly sessions = new Map<string, DrillSession>();
  private readonly subscription: vscode.Disposable;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor() {
    this.subscription = vscode.workspace.onDidCloseNotebookDocument((nb) => void this.end(nb.uri));
  }

  add(uri: vscode.Uri, session: DrillSession): void {
    this.sessions.set(uri.toString(), session);
    this.changed.fire(uri);
  }

  get(uri: vscode.Uri): DrillSession | undefined {
    return this.sessions.get(uri.toString());
  }

  /** Stops tracking a session under `uri` without ending it (it moved to another record). */
  forget(uri: vscode.Uri): void {
    this.sessions.delete(uri.toString());
  }

  async end(uri: vscode.Uri): Promise<boolean> {
    const session = this.sessions.get(uri.toString());
    if (!session) return false;
    this.sessions.delete(uri.toString());
    this.changed.fire(uri);
    await session.teardown();
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    for (const s of this.sessions.values()) void s.teardown();
    this.sessions.clear();
  }
}
