// Something registered a little after the extension loads, and never if it is disposed first (see
// providers/cellStatusBar.ts: what VS Code does when a provider arrives should not land inside an open).

export interface Registration {
  dispose(): unknown;
}

/** Calls `register` after `delayMs`; the result disposes the registration, or cancels it if not made yet. */
export function registerLater(register: () => Registration, delayMs: number): Registration {
  let registration: Registration | undefined;
  let disposed = false;
  const timer = setTimeout(() => {
    if (!disposed) registration = register();
  }, delayMs);
  return {
    dispose: () => {
      disposed = true;
      clearTimeout(timer);
      registration?.dispose();
      registration = undefined;
    },
  };
}
