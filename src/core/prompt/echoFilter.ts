// A typed answer comes back as the terminal's echo (when echo is on: `read`, a y/N question). The echo
// arrives before anything the reading program prints after it, so it is dropped from the start of the
// terminal's output; the answer never reaches the record that way. As a second line of defence (the echo
// has been seen arriving behind other terminal output), any later occurrence of an answer of three or more
// characters in this cell's terminal output is removed too: an answer is never recorded.

const MIN_SWEPT_ANSWER = 3;

export class EchoFilter {
  private expected = '';
  private readonly answers: string[] = [];

  /** The next terminal output should start with `text` (the answer and its line end). */
  expect(text: string): void {
    this.expected = text;
    const answer = text.replace(/\r?\n$/, '');
    if (answer.length >= MIN_SWEPT_ANSWER && !this.answers.includes(answer)) this.answers.push(answer);
  }

  /** `text` without the expected echo at its start; a mismatch ends the expectation (echo was off). */
  filter(text: string): string {
    return this.sweep(this.dropLeadingEcho(text));
  }

  private dropLeadingEcho(text: string): string {
    if (!this.expected || !text) return text;
    let i = 0;
    while (i < text.length && i < this.expected.length && text[i] === this.expected[i]) i++;
    if (i === text.length && i < this.expected.length) {
      this.expected = this.expected.slice(i);
      return '';
    }
    this.expected = '';
    return text.slice(i);
  }

  private sweep(text: string): string {
    let out = text;
    for (const a of this.answers) if (out.includes(a)) out = out.split(a).join('');
    return out;
  }
}
