// Building A1 ranges for the Sheets API: column letters, quoted tab names, rows and cells of one tab.

/** 0-based column index to letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A tab title quoted for A1 notation (`'My Tab'`), always, so any title is safe. */
export function quoteTab(tab: string): string {
  return `'${tab.replaceAll("'", "''")}'`;
}

/** The tab a range names (`'My Tab'!A1` → `My Tab`), or undefined when it names none. */
export function tabOfRange(range: string): string | undefined {
  if (range.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'/.exec(range);
    return m ? m[1]!.replaceAll("''", "'") : undefined;
  }
  const bang = range.lastIndexOf('!');
  return bang > 0 ? range.slice(0, bang) : undefined;
}

/** Rows `from`..`to` of columns A..`lastCol` (0-based); `to` omitted reads to the end of the grid. */
export function rowsRange(tab: string, from: number, to: number | undefined, lastCol: number): string {
  return `${quoteTab(tab)}!A${from}:${columnLetter(lastCol)}${to ?? ''}`;
}

/** Whole rows `row`..`to`, every column (`'Leads'!7:7`, `'Leads'!7:9`). */
export function rowRange(tab: string, row: number, to = row): string {
  return `${quoteTab(tab)}!${row}:${to}`;
}

/** One column from `from` to the end of the grid (`'Leads'!F2:F`). */
export function columnRange(tab: string, col: number, from = 2): string {
  const letter = columnLetter(col);
  return `${quoteTab(tab)}!${letter}${from}:${letter}`;
}

export function cellRange(tab: string, row: number, col: number): string {
  return `${quoteTab(tab)}!${columnLetter(col)}${row}`;
}

/** The last row number of an A1 range as the API echoes it (`'Leads'!A501:F1000` → 1000). */
export function endRowOf(range: string): number | undefined {
  const m = /(\d+)$/.exec(range);
  return m ? Number(m[1]) : undefined;
}
