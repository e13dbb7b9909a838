CREATE TABLE `document_files` (
	`sha256` text PRIMARY KEY NOT NULL,
	`mime` text NOT NULL,
	`bytes` integer NOT NULL,
	`present` integer DEFAULT false NOT NULL,
	`content_sha256` text,
	`content_mime` text,
	`signature` text,
	`pinned` integer DEFAULT false NOT NULL,
	`last_used_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `document_files_present_used` ON `document_files` (`present`,`last_used_at`);--> statement-breakpoint
ALTER TABLE `documents` ADD `mime` text;