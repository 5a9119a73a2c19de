#pragma once
// PostgreSQL/PostGIS as a layer source (issue 18), through GDAL's PostgreSQL driver.
//
// A source "PG:key=value ..." (libpq keywords, e.g. "PG:host=db.local dbname=wuhou user=li" or
// "PG:service=wuhou" through pg_service.conf) is opened only when the user named that database:
// the command line allows the database it was given (allow_database), and anything else —
// a manifest, a project file, a join — may name only an allowed one (same host, hostaddr,
// port, dbname, service and user). No other network access is opened (geo/io/reader.hpp).
// Passwords never appear in a message, a log or a saved project: every connection string
// shown or stored goes through redact(), and every driver message through scrub().
#include <string>

#include "geo/io/gdal_util.hpp"

namespace hq::pg {

/// True for "PG:..." (any case).
bool is_pg_source(const std::string& source) noexcept;

/// The connection string with the password's value replaced by "***" ("PG:" kept).
std::string redact(const std::string& source);

/// `message` with every occurrence of the source's password removed (driver messages).
std::string scrub(const std::string& message, const std::string& source);

/// The database the connection string names: its host, hostaddr, port, dbname, service and
/// user, sorted ("dbname=wuhou service= ..."), without the password or GDAL's own keys
/// (schemas, active_schema, tables). Throws InputError (naming `display`) for text that is
/// not a libpq key=value list.
std::string database_key(const std::string& source, const std::string& display = {});

/// The user named this database (on the command line): it may be opened, and files may name it.
void allow_database(const std::string& source);
/// Forgets every allowed database (tests).
void clear_allowed_databases();
/// Throws InputError naming `display` unless the source names an allowed database.
void check_allowed(const std::string& source, const std::string& display);

/// Opens an allowed database with GDAL's PostgreSQL driver alone (read-only or for update).
/// Throws InputError naming the redacted source with the driver's message, scrubbed.
detail::GdalDatasetPtr open_database(const std::string& source, bool update);

/// `name` as a quoted SQL identifier ("a""b") and `value` as a quoted SQL literal ('it''s').
std::string sql_identifier(const std::string& name);
std::string sql_literal(const std::string& value);

}  // namespace hq::pg
