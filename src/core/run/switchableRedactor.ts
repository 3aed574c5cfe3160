// A Redactor whose secrets can change while sessions that hold it keep running (a secret variable answered
// after the session started must still be redacted from then on).
import { createRedactor, type Redactor, type Secret } from '../redact/redactor.js';

export interface SwitchableRedactor {
  readonly redact: Redactor;
  setSecrets(secrets: readonly Secret[]): void;
}

export function switchableRedactor(secrets: readonly Secret[] = []): SwitchableRedactor {
  let current = createRedactor(secrets);
  const redact = ((text: string) => current(text)) as Redactor;
  Object.defineProperties(redact, {
    maxSecretLength: { get: () => current.maxSecretLength },
    maxMultilineSecretLength: { get: () => current.maxMultilineSecretLength },
    partialSecretAtEnd: { value: (text: string) => current.partialSecretAtEnd(text) },
  });
  return {
    redact,
    setSecrets(next) {
      current = createRedactor(next);
    },
  };
}
