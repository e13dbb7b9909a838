CREATE TABLE `access_request_events` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`at` text NOT NULL,
	`from_state` text,
	`to_state` text NOT NULL,
	`actor` text,
	`note` text,
	`updated_at` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `access_request_events_request` ON `access_request_events` (`request_id`,`at`);--> statement-breakpoint
CREATE TABLE `access_request_records` (
	`request_id` text NOT NULL,
	`record_kind` text NOT NULL,
	`record_id` text NOT NULL,
	PRIMARY KEY(`request_id`, `record_kind`, `record_id`),
	FOREIGN KEY (`request_id`) REFERENCES `access_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `access_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`receipt_code` text NOT NULL,
	`branch` text NOT NULL,
	`regime` text NOT NULL,
	`requester_name` text NOT NULL,
	`tax_code` text NOT NULL,
	`email` text,
	`phone` text,
	`motivation` text,
	`requester_title` text,
	`mode` text NOT NULL,
	`records_description` text,
	`state` text DEFAULT 'received' NOT NULL,
	`filed_at` text NOT NULL,
	`clock_start_on` text NOT NULL,
	`counterparties_notified_on` text,
	`counterparties_resolved_on` text,
	`has_counterparties` integer DEFAULT false NOT NULL,
	`due_on` text NOT NULL,
	`decided_on` text,
	`outcome_reason` text,
	`legal_basis` text,
	`granted_scope` text,
	`deferred_until` text,
	`consultation_from` text,
	`consultation_to` text,
	`consultation_place` text,
	`delivered_on` text,
	`fees` text,
	`decided_by` text,
	`appeal` text,
	`updated_at` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `access_requests_receipt_code_unique` ON `access_requests` (`receipt_code`);--> statement-breakpoint
CREATE INDEX `access_requests_state_due` ON `access_requests` (`state`,`due_on`);--> statement-breakpoint
CREATE INDEX `access_requests_seq` ON `access_requests` (`seq`);--> statement-breakpoint
CREATE TABLE `act_kinds` (
	`code` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `acts` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`number` text NOT NULL,
	`year` integer NOT NULL,
	`date` text NOT NULL,
	`office` text,
	`subject` text NOT NULL,
	`text` text,
	`published_from` text,
	`published_to` text,
	`restricted` integer DEFAULT false NOT NULL,
	`content_hash` text NOT NULL,
	`updated_at` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `acts_kind_year_number` ON `acts` (`kind`,`year`,`number`);--> statement-breakpoint
CREATE INDEX `acts_seq` ON `acts` (`seq`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`branch` text NOT NULL,
	`actor` text,
	`action` text NOT NULL,
	`record_kind` text,
	`record_id` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_actor` ON `audit_log` (`actor`,`at`);--> statement-breakpoint
CREATE TABLE `branches` (
	`name` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text,
	`last_applied_number` integer DEFAULT 0 NOT NULL,
	`last_seen_at` text
);
--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `documents` (
	`record_kind` text NOT NULL,
	`record_id` text NOT NULL,
	`position` integer NOT NULL,
	`file` text NOT NULL,
	`title` text,
	`pages` integer NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`public` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`record_kind`, `record_id`, `position`)
);
--> statement-breakpoint
CREATE TABLE `dossier_addresses` (
	`dossier_id` text NOT NULL,
	`position` integer NOT NULL,
	`street` text NOT NULL,
	`civic` text,
	`locality` text,
	`historic` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`dossier_id`, `position`),
	FOREIGN KEY (`dossier_id`) REFERENCES `dossiers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `dossier_aliases` (
	`dossier_id` text NOT NULL,
	`position` integer NOT NULL,
	`index_name` text NOT NULL,
	`key` text NOT NULL,
	PRIMARY KEY(`dossier_id`, `position`),
	FOREIGN KEY (`dossier_id`) REFERENCES `dossiers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `dossier_cadastral` (
	`dossier_id` text NOT NULL,
	`position` integer NOT NULL,
	`register` text NOT NULL,
	`section` text,
	`sheet` text NOT NULL,
	`parcel` text NOT NULL,
	`sub` text,
	PRIMARY KEY(`dossier_id`, `position`),
	FOREIGN KEY (`dossier_id`) REFERENCES `dossiers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `dossier_people` (
	`dossier_id` text NOT NULL,
	`position` integer NOT NULL,
	`role` text NOT NULL,
	`surname` text,
	`name` text,
	`company` text,
	`tax_code` text,
	`tax_code_verified` integer,
	`email` text,
	`phone` text,
	PRIMARY KEY(`dossier_id`, `position`),
	FOREIGN KEY (`dossier_id`) REFERENCES `dossiers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `dossiers` (
	`id` text PRIMARY KEY NOT NULL,
	`series` text NOT NULL,
	`type` text NOT NULL,
	`number` text NOT NULL,
	`year` integer NOT NULL,
	`protocol_number` text,
	`protocol_date` text,
	`parent_id` text,
	`subject` text,
	`subject_public` text,
	`status` text DEFAULT 'unknown' NOT NULL,
	`submitted_on` text,
	`issued_on` text,
	`works_started_on` text,
	`works_ended_on` text,
	`location_box` text,
	`location_shelf` text,
	`location_room` text,
	`restricted` integer DEFAULT false NOT NULL,
	`source` text,
	`content_hash` text NOT NULL,
	`updated_at` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dossiers_series_year_number` ON `dossiers` (`series`,`year`,`number`);--> statement-breakpoint
CREATE INDEX `dossiers_seq` ON `dossiers` (`seq`);--> statement-breakpoint
CREATE INDEX `dossiers_parent` ON `dossiers` (`parent_id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`number` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mutation_id` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`reason` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_mutation_id_unique` ON `outbox` (`mutation_id`);--> statement-breakpoint
CREATE INDEX `outbox_state_number` ON `outbox` (`state`,`number`);--> statement-breakpoint
CREATE TABLE `record_types` (
	`code` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`in_use_from` integer,
	`in_use_to` integer,
	`legal_basis` text,
	`restricted_by_default` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rejected_mutations` (
	`branch` text NOT NULL,
	`number` integer NOT NULL,
	`mutation_id` text NOT NULL,
	`reason` text NOT NULL,
	`at` text NOT NULL,
	PRIMARY KEY(`branch`, `number`)
);
--> statement-breakpoint
CREATE TABLE `search_keys` (
	`key` text NOT NULL,
	`record_kind` text NOT NULL,
	`record_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `search_keys_key` ON `search_keys` (`key`);--> statement-breakpoint
CREATE INDEX `search_keys_record` ON `search_keys` (`record_kind`,`record_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tombstones` (
	`entity` text NOT NULL,
	`id` text NOT NULL,
	`deleted_at` text NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`entity`, `id`)
);
--> statement-breakpoint
CREATE INDEX `tombstones_seq` ON `tombstones` (`seq`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`display_name` text,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);