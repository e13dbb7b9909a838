ALTER TABLE `access_requests` ADD `locale` text DEFAULT 'it' NOT NULL;--> statement-breakpoint
ALTER TABLE `bookings` ADD `locale` text DEFAULT 'it' NOT NULL;