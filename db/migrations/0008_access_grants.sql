CREATE TABLE `access_grant_documents` (
	`grant_id` text NOT NULL,
	`record_kind` text NOT NULL,
	`record_id` text NOT NULL,
	`sha256` text NOT NULL,
	PRIMARY KEY(`grant_id`, `record_kind`, `record_id`, `sha256`),
	FOREIGN KEY (`grant_id`) REFERENCES `access_grants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `access_grants` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`scope` text NOT NULL,
	`mode` text NOT NULL,
	`valid_until` text NOT NULL,
	`branch` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text,
	`revoked_by` text,
	`revocation_reason` text,
	`updated_at` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `access_grants_request` ON `access_grants` (`request_id`);--> statement-breakpoint
CREATE INDEX `access_grants_seq` ON `access_grants` (`seq`);--> statement-breakpoint
CREATE TABLE `file_pins` (
	`sha256` text NOT NULL,
	`holder` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`sha256`, `holder`)
);
--> statement-breakpoint
CREATE INDEX `file_pins_holder` ON `file_pins` (`holder`);--> statement-breakpoint
ALTER TABLE `access_requests` ADD `title_kind` text;--> statement-breakpoint
ALTER TABLE `access_requests` ADD `title_basis` text;--> statement-breakpoint
ALTER TABLE `access_requests` ADD `title_recorded_by` text;--> statement-breakpoint
ALTER TABLE `access_requests` ADD `title_recorded_at` text;