CREATE TABLE `file_transfers` (
	`sha256` text NOT NULL,
	`direction` text NOT NULL,
	`bytes_done` integer DEFAULT 0 NOT NULL,
	`total` integer NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`last_error` text,
	`rate` integer,
	`chunks` text DEFAULT '[]' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`sha256`, `direction`)
);
