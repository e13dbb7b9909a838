/**
 * How the index's growable arrays (postings, street entries, the doc table's columns) make
 * room when full. While a build fills them they double: few copies, and `pack` or the build's
 * end trims or accepts the room. Once settled (built, packed or compacted) they take a
 * sixteenth more. Doubling on the first append after a build made a 1M index 57 % larger than
 * a fresh build after a few syncs of 2 % changes (docs/SEARCH.md, "Churn at 1M"); an eighth
 * made the first sync after every compaction pass the follower's 10 % trigger
 * (compaction.ts), so it compacted at every sync. A sixteenth leaves that first sync under
 * the trigger, and the appends of the next few fill the room before it grows again.
 */

/** The capacity for an array that is full at `length`. */
export function grownCapacity(length: number, settled: boolean, minStep = 4): number {
  return settled ? length + Math.max(minStep, length >>> 4) : Math.max(minStep, length * 2);
}
