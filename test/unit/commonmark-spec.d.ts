// Types of the npm package commonmark-spec (the CommonMark spec's examples), which ships none.
declare module 'commonmark-spec' {
  const spec: { text: string; tests: { markdown: string; html: string; section: string; number: number }[] };
  export = spec;
}
