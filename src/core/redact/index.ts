// Redaction of secrets and credential-shaped text in command output (DESIGN §1: never on disk).
export { createRedactor, MIN_SECRET_LENGTH, type Redactor, type RedactorOptions, type Secret } from './redactor.js';
export { createStreamRedactor, type StreamRedactor, type StreamRedactorOptions } from './streamRedactor.js';
export { PATTERN_RULES, type PatternRule } from './patterns.js';
export { redactOutput } from './output.js';
