-- IF EXISTS: an import that died before its end leaves this index dropped (deferred_indexes.ts).
DROP INDEX IF EXISTS `search_keys_key`;--> statement-breakpoint
CREATE INDEX `search_keys_key` ON `search_keys` (`key`,`record_kind`,`record_id`);
