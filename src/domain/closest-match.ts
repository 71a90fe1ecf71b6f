// "Did you mean …?": the candidate closest to what was typed, by edit distance.

/** The candidate closest to `word` (ignoring case), if it is close enough to be a typo. */
export function closestMatch(word: string, candidates: string[], opts: { maxRatio?: number } = {}): string | undefined {
  const typed = word.toLowerCase();
  let best: { value: string; distance: number } | undefined;
  for (const value of candidates) {
    const distance = editDistance(typed, value.toLowerCase());
    if (!best || distance < best.distance) best = { value, distance };
  }
  const tolerance = Math.max(2, Math.floor(typed.length * (opts.maxRatio ?? 1 / 3)));
  return best && best.distance <= tolerance ? best.value : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
