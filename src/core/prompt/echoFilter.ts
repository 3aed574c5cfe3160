// A typed answer comes back as the terminal's echo (when echo is on: `read`, a y/N question). The echo
// arrives before anything the reading program prints after it, so it is dropped from the start of the
// terminal's output; the answer never reaches the record that way.

export class EchoFilter {
  private expected = '';

  /** The next terminal output should start with `text` (the answer and its line end). */
  expect(text: string): void {
    this.expected = text;
  }

  /** `text` without the expected echo at its start; a mismatch ends the expectation (echo was off). */
  filter(text: string): string {
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
}
