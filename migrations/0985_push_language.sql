-- Web Push: the browser's language tag sent with its subscription (navigator.language). Its notifications
-- are in it when the user chose no language in Settings; NULL (an older client): English.
ALTER TABLE push_subscriptions ADD COLUMN language text;
