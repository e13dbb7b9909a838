/**
 * How the index's growable arrays (postings, street entries, the doc table's columns) make
 * room when full. While a build fills them they double: few copies, and `pack` or the build's
 * end trims or accepts the room. Once settled (built, packed or compacted) they take an eighth
 * more: a daily sync appends about 2 % to the big lists, and doubling them on the first
 * append made a 1M index 57 % larger than a fresh build after a few rounds of 2 % changes
 * (docs/SEARCH.md, "Churn at 1M"), while compaction was not yet due by dead numbers.
 */

/** The capacity for an array that is full at `length`. */
export function grownCapacity(length: number, settled: boolean, minStep = 4): number {
  return settled ? length + Math.max(minStep, length >>> 3) : Math.max(minStep, length * 2);
}
