CREATE TABLE `booking_branches` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`place` text DEFAULT '' NOT NULL,
	`capacity` integer NOT NULL,
	`online_share` integer NOT NULL,
	`release_hours` integer NOT NULL,
	`updated_at` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `booking_branches_seq` ON `booking_branches` (`seq`);--> statement-breakpoint
CREATE TABLE `booking_closures` (
	`branch_code` text NOT NULL,
	`date` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	PRIMARY KEY(`branch_code`, `date`)
);
--> statement-breakpoint
CREATE TABLE `booking_hours` (
	`branch_code` text NOT NULL,
	`weekday` integer NOT NULL,
	`opens` text NOT NULL,
	`closes` text NOT NULL,
	PRIMARY KEY(`branch_code`, `weekday`, `opens`)
);
--> statement-breakpoint
CREATE TABLE `booking_releases` (
	`branch_code` text PRIMARY KEY NOT NULL,
	`released_until` text NOT NULL,
	`updated_at` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `booking_releases_seq` ON `booking_releases` (`seq`);--> statement-breakpoint
CREATE TABLE `booking_services` (
	`id` text PRIMARY KEY NOT NULL,
	`branch_code` text NOT NULL,
	`name` text NOT NULL,
	`slot_minutes` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE INDEX `booking_services_branch` ON `booking_services` (`branch_code`);--> statement-breakpoint
CREATE TABLE `bookings` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`branch_code` text NOT NULL,
	`service_id` text NOT NULL,
	`service_name` text NOT NULL,
	`starts_at` text NOT NULL,
	`ends_at` text NOT NULL,
	`tax_code` text NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`request_code` text,
	`dossier_id` text,
	`state` text NOT NULL,
	`walk_in` integer DEFAULT false NOT NULL,
	`side` text NOT NULL,
	`replaces` text,
	`files_pinned` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_code_unique` ON `bookings` (`code`);--> statement-breakpoint
CREATE INDEX `bookings_branch_start` ON `bookings` (`branch_code`,`starts_at`);--> statement-breakpoint
CREATE INDEX `bookings_seq` ON `bookings` (`seq`);--> statement-breakpoint
CREATE INDEX `bookings_tax_code` ON `bookings` (`tax_code`);