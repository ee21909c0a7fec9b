-- SPDX-License-Identifier: GPL-3.0-or-later
-- The lot search by name, address or city (q) compares text without accents, as parkd folds
-- what a driver types ("glaserne" finds "Gläserne"). unaccent is a trusted extension: the
-- database's owner may create it.
CREATE EXTENSION IF NOT EXISTS unaccent;
