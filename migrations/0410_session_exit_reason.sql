-- Why a session last exited, when not on its own: 'stopped' (asked to) or 'host-lost' (its PTY host died).
ALTER TABLE sessions ADD COLUMN exit_reason text;
