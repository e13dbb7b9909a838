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
CREATE TABLE `fee_exemptions` (
	`id` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`updated_at` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `fee_exemptions_seq` ON `fee_exemptions` (`seq`);--> statement-breakpoint
CREATE TABLE `fee_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`item` text NOT NULL,
	`year_from` integer,
	`year_to` integer,
	`amount_cents` integer NOT NULL,
	`updated_at` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `fee_rules_seq` ON `fee_rules` (`seq`);--> statement-breakpoint
CREATE TABLE `payment_notices` (
	`request_id` text PRIMARY KEY NOT NULL,
	`receipt_code` text NOT NULL,
	`iuv` text NOT NULL,
	`notice_number` text NOT NULL,
	`ente_fiscal_code` text NOT NULL,
	`ente_name` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`lines` text NOT NULL,
	`due_on` text NOT NULL,
	`purpose` text NOT NULL,
	`payer_tax_code` text NOT NULL,
	`payer_name` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_error` text,
	`registered_at` text,
	`paid_at` text,
	`last_polled_at` text,
	`updated_at` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_notices_iuv_unique` ON `payment_notices` (`iuv`);--> statement-breakpoint
CREATE UNIQUE INDEX `payment_notices_notice_number_unique` ON `payment_notices` (`notice_number`);--> statement-breakpoint
CREATE INDEX `payment_notices_status` ON `payment_notices` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `payment_notices_seq` ON `payment_notices` (`seq`);--> statement-breakpoint
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
ALTER TABLE `access_requests` ADD `urgent` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `access_requests` ADD `fee_cents` integer;--> statement-breakpoint
ALTER TABLE `access_requests` ADD `fee_exemption_id` text;--> statement-breakpoint
ALTER TABLE `access_requests` ADD `fee_exemption_reason` text;--> statement-breakpoint
CREATE INDEX `access_requests_tax_code` ON `access_requests` (`tax_code`);