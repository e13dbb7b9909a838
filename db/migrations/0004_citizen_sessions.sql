CREATE TABLE `citizen_logins` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`nonce` text NOT NULL,
	`code_verifier` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `citizen_logins_expires` ON `citizen_logins` (`expires_at`);--> statement-breakpoint
CREATE TABLE `citizen_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`tax_code` text NOT NULL,
	`display_name` text,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `citizen_sessions_last_seen` ON `citizen_sessions` (`last_seen_at`);--> statement-breakpoint
CREATE TABLE `request_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`kind` text NOT NULL,
	`mime` text NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`content` blob NOT NULL,
	`uploaded_at` text NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `access_requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `request_attachments_request` ON `request_attachments` (`request_id`);--> statement-breakpoint
CREATE INDEX `access_requests_tax_code` ON `access_requests` (`tax_code`);