-- SPDX-License-Identifier: GPL-3.0-or-later
-- Accounts, sign-in sessions and the audit log (issue 3).
--
-- Nothing secret is stored in the clear: passwords are argon2id strings, refresh tokens are
-- stored only as a BLAKE2b hash, phone numbers and plates are sealed with libsodium secretbox
-- under the server's key (parkd-keys.c) and plates are found again through a keyed hash. The
-- store only ever sees those sealed bytes.

CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE,       -- lower case, trimmed
  password_hash  TEXT NOT NULL,              -- "$argon2id$v=19$m=19456,t=2,p=1$..."
  first_name     TEXT NOT NULL DEFAULT '',
  last_name      TEXT NOT NULL DEFAULT '',
  phone_sealed   BYTEA,                       -- secretbox: nonce || ciphertext
  role           TEXT NOT NULL DEFAULT 'driver'
                 CHECK (role IN ('driver', 'attendant', 'operator', 'admin')),
  operator_id    TEXT REFERENCES operators (id) ON DELETE RESTRICT,
  disabled       BOOLEAN NOT NULL DEFAULT FALSE,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  -- Staff belong to exactly one operator; drivers and admins to none.
  CHECK ((role IN ('attendant', 'operator')) = (operator_id IS NOT NULL))
);

CREATE INDEX users_operator ON users (operator_id, role);

CREATE TABLE vehicles (
  id            TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  plate_sealed  BYTEA NOT NULL,               -- the plate as the driver wrote it, sealed
  plate_hash    BYTEA NOT NULL,               -- keyed BLAKE2b of the normalised plate
  country       TEXT,                        -- ISO 3166-1 alpha-2, or NULL
  nickname      TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL,
  UNIQUE (user_id, plate_hash)
);

CREATE INDEX vehicles_plate_hash ON vehicles (plate_hash);

-- One family per sign-in; every refresh token descends from the one the sign-in issued.
CREATE TABLE token_families (
  id              TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at      TEXT NOT NULL,
  client          TEXT NOT NULL DEFAULT '',  -- address it signed in from
  revoked_at      TEXT,
  revoked_reason  TEXT                        -- logout, reuse, password-changed, user-removed
);

CREATE INDEX token_families_user ON token_families (user_id);
CREATE INDEX token_families_revoked ON token_families (revoked_at);

CREATE TABLE refresh_tokens (
  token_hash  BYTEA PRIMARY KEY,               -- BLAKE2b-256 of the 256-bit token
  family_id   TEXT NOT NULL REFERENCES token_families (id) ON DELETE CASCADE,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT                            -- set when rotated; a second use is a reuse
);

CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Access tokens refused before they expire (logout); kept only until their expiry.
CREATE TABLE revoked_access_tokens (
  jti         TEXT PRIMARY KEY,
  expires_at  TEXT NOT NULL
);

CREATE TABLE audit_log (
  id           BIGSERIAL PRIMARY KEY,
  at           TEXT NOT NULL,
  actor_id     TEXT,                          -- NULL: no signed-in user (failed sign-in, CLI)
  action       TEXT NOT NULL,                 -- "auth.login", "lot.update", ...
  object_type  TEXT NOT NULL DEFAULT '',
  object_id    TEXT NOT NULL DEFAULT '',
  operator_id  TEXT,                          -- the tenant the change belongs to
  client       TEXT NOT NULL DEFAULT '',      -- address, or "cli"
  detail       TEXT NOT NULL DEFAULT '{}'     -- JSON object; never secrets or PII
);

CREATE INDEX audit_log_operator ON audit_log (operator_id, id);
