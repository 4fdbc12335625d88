/**
 * Joins typed lines into messages: a line ending in `\` continues on the next line, and a line
 * that is only `"""` opens (and the next one closes) a block that may hold anything, such as a
 * pasted SQL query.
 */
export class MultilineInput {
  #lines: string[] = [];
  #block = false;

  /** True while lines are being collected for one message. */
  get pending(): boolean {
    return this.#block || this.#lines.length > 0;
  }

  /** Feed one line; returns the complete message when this line finishes one. */
  push(line: string): string | undefined {
    if (this.#block) {
      if (line.trim() === '"""') return this.#take();
      this.#lines.push(line);
      return undefined;
    }
    if (line.trim() === '"""') {
      this.#block = true;
      return undefined;
    }
    if (line.endsWith('\\')) {
      this.#lines.push(line.slice(0, -1));
      return undefined;
    }
    this.#lines.push(line);
    return this.#take();
  }

  clear(): void {
    this.#lines = [];
    this.#block = false;
  }

  #take(): string {
    const message = this.#lines.join('\n');
    this.clear();
    return message;
  }
}
