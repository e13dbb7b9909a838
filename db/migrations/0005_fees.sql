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
ALTER TABLE `access_requests` ADD `urgent` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `access_requests` ADD `fee_cents` integer;--> statement-breakpoint
ALTER TABLE `access_requests` ADD `fee_exemption_id` text;--> statement-breakpoint
ALTER TABLE `access_requests` ADD `fee_exemption_reason` text;