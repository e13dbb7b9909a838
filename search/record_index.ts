/** PLACEHOLDER contract, replaced by the search module: the in-memory record index. */
export interface IndexState {
  ready: boolean;
  records: number;
  indexed: number;
}

export interface RecordIndex {
  state(): IndexState;
}
