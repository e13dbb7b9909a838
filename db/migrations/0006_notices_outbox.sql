CREATE TABLE `notices` (
	`id` text PRIMARY KEY NOT NULL,
	`idempotency_key` text NOT NULL,
	`event_id` text NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`receipt_code` text,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`payment_data` text,
	`due_date` text,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_error` text,
	`provider_id` text,
	`created_at` text NOT NULL,
	`sent_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notices_idempotency_key_unique` ON `notices` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `notices_state_next` ON `notices` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `notices_event` ON `notices` (`event_id`);--> statement-breakpoint
ALTER TABLE `access_requests` ADD `notify_app_io` integer DEFAULT false NOT NULL;