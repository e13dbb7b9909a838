/**
 * The contract between the archive's handlers of branch mutations (sync/mutation_handlers.ts)
 * and the db modules that apply them: who sent a mutation, and the error that refuses it for
 * good. It lives with the db modules so that they need nothing from sync/.
 */
import { UserFacingError } from "../domain/user_facing_error.ts";
import type { Tx } from "./outbox.ts";

/** Who sent the mutation and when the archive applies it. */
export interface MutationContext {
  branch: string;
  number: number;
  mutationId: string;
  entityId: string;
  now: Date;
}

/** Applies one mutation's payload inside the archive's transaction. */
export type MutationHandler = (tx: Tx, payload: unknown, ctx: MutationContext) => Promise<void>;

/** A mutation the archive will never apply: recorded, returned, and set aside on the branch. */
export class MutationRejected extends UserFacingError {
  constructor(message: string) {
    super(message, { status: 422 });
    this.name = "MutationRejected";
  }
}
