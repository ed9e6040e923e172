//! The freshness query, written for one SQL dialect.

use super::{LoadedAt, WarehouseTable, MAX_TABLES};
use crate::error::{FleetopsError, Result};

/// The SQL dialect a query is written for. Every one quotes identifiers with double quotes
/// (`""` inside) and strings with single quotes (`''` inside), as the SQL standard does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// DuckDB.
    Duckdb,
    /// PostgreSQL: standard-conforming strings (a backslash is not an escape).
    Postgres,
}

impl Dialect {
    /// The dialect named `duckdb` or `postgres` (`postgresql`).
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "duckdb" => Ok(Self::Duckdb),
            "postgres" | "postgresql" => Ok(Self::Postgres),
            other => Err(FleetopsError::InvalidArgument(format!("unknown SQL dialect '{other}' (duckdb, postgres)"))),
        }
    }
}

impl Dialect {
    /// The statement that bounds every later statement of the session to `seconds`, where the
    /// engine has one (PostgreSQL's `statement_timeout`); `None` for DuckDB, whose queries the
    /// binding interrupts instead.
    pub fn statement_timeout(self, seconds: f64) -> Result<Option<String>> {
        if !(seconds.is_finite() && seconds > 0.0) {
            return Err(FleetopsError::InvalidDuration(format!(
                "a query timeout must be above 0 seconds, got {seconds}"
            )));
        }
        Ok(match self {
            Dialect::Postgres => Some(format!("SET statement_timeout = {}", (seconds * 1000.0).ceil() as u64)),
            Dialect::Duckdb => None,
        })
    }
}

/// Refuses a name no dialect can hold: empty, or with a NUL character.
fn checked<'a>(what: &str, text: &'a str) -> Result<&'a str> {
    if text.is_empty() {
        return Err(FleetopsError::InvalidArgument(format!("{what} is empty")));
    }
    if text.contains('\0') {
        return Err(FleetopsError::InvalidArgument(format!("{what} holds a NUL character")));
    }
    Ok(text)
}

/// An identifier, quoted: `"raw"."my ""odd"" table"` whatever it holds (quotes, semicolons,
/// Unicode); an empty one or one with a NUL character is refused.
pub fn quote_ident(name: &str) -> Result<String> {
    Ok(format!("\"{}\"", checked("an identifier", name)?.replace('"', "\"\"")))
}

/// A string literal: `'it''s'`; a NUL character is refused.
pub fn quote_literal(text: &str) -> Result<String> {
    if text.contains('\0') {
        return Err(FleetopsError::InvalidArgument("a string holds a NUL character".into()));
    }
    Ok(format!("'{}'", text.replace('\'', "''")))
}

/// `"database"."schema"."identifier"`, the parts given.
fn relation(t: &WarehouseTable) -> Result<String> {
    let parts = [t.database.as_deref(), t.schema.as_deref(), Some(t.identifier.as_str())];
    Ok(parts.into_iter().flatten().map(quote_ident).collect::<Result<Vec<_>>>()?.join("."))
}

/// One table's `SELECT <name> AS table_name, <max loaded at> AS max_loaded_at`.
pub fn table_query(t: &WarehouseTable, _dialect: Dialect) -> Result<String> {
    let label = quote_literal(&t.name)?;
    Ok(match &t.loaded_at {
        LoadedAt::Column(column) => {
            let filter = match &t.filter {
                Some(f) => format!(" WHERE ({})", checked("a filter", f)?),
                None => String::new(),
            };
            format!(
                "SELECT {label} AS table_name, MAX({}) AS max_loaded_at FROM {}{filter}",
                quote_ident(column)?,
                relation(t)?
            )
        }
        LoadedAt::Query(query) => {
            let query = checked("a loaded_at_query", query.trim().trim_end_matches(';'))?;
            format!("SELECT {label} AS table_name, ({query}) AS max_loaded_at")
        }
    })
}

/// Every table's query joined with `UNION ALL`: one round trip for all (at most
/// [`MAX_TABLES`]). The rows come back as `(table_name, max_loaded_at)` in any order.
pub fn freshness_query(tables: &[WarehouseTable], dialect: Dialect) -> Result<String> {
    if tables.is_empty() {
        return Err(FleetopsError::InvalidArgument("no table to read".into()));
    }
    if tables.len() > MAX_TABLES {
        return Err(FleetopsError::InvalidArgument(format!(
            "{} tables in one query; the most is {MAX_TABLES}",
            tables.len()
        )));
    }
    for (i, t) in tables.iter().enumerate() {
        if tables[..i].iter().any(|o| o.name == t.name) {
            return Err(FleetopsError::InvalidArgument(format!("table '{}' appears twice", t.name)));
        }
    }
    Ok(tables.iter().map(|t| table_query(t, dialect)).collect::<Result<Vec<_>>>()?.join("\nUNION ALL\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, schema: &str, identifier: &str, column: &str) -> WarehouseTable {
        WarehouseTable {
            name: name.into(),
            database: None,
            schema: Some(schema.into()),
            identifier: identifier.into(),
            loaded_at: LoadedAt::Column(column.into()),
            filter: None,
            warn_after: None,
            error_after: None,
        }
    }

    #[test]
    fn the_runbooks_union_all_of_max() {
        let q = freshness_query(
            &[
                table("packages", "raw", "packages", "_loaded_at"),
                table("tracking_events", "raw", "tracking_events", "_loaded_at"),
            ],
            Dialect::Duckdb,
        )
        .unwrap();
        assert_eq!(
            q,
            "SELECT 'packages' AS table_name, MAX(\"_loaded_at\") AS max_loaded_at FROM \"raw\".\"packages\"\nUNION ALL\n\
             SELECT 'tracking_events' AS table_name, MAX(\"_loaded_at\") AS max_loaded_at FROM \"raw\".\"tracking_events\""
        );
    }

    #[test]
    fn hostile_names_are_quoted_never_sql() {
        let t = table("x'; DROP TABLE t; --", "r\"aw", "a\"; DROP TABLE b; --", "c\"ol");
        let q = table_query(&t, Dialect::Postgres).unwrap();
        assert_eq!(
            q,
            "SELECT 'x''; DROP TABLE t; --' AS table_name, MAX(\"c\"\"ol\") AS max_loaded_at \
             FROM \"r\"\"aw\".\"a\"\"; DROP TABLE b; --\""
        );
        for bad in ["", "a\0b"] {
            assert!(quote_ident(bad).is_err(), "{bad:?}");
        }
        assert_eq!(quote_ident("Förderband 🚚").unwrap(), "\"Förderband 🚚\"");
    }

    #[test]
    fn filters_and_loaded_at_queries_are_the_users_sql_in_parentheses() {
        let mut t = table("orders", "raw", "orders", "_loaded_at");
        t.filter = Some("region = 'eu'".into());
        assert!(table_query(&t, Dialect::Duckdb).unwrap().ends_with("WHERE (region = 'eu')"));
        t.loaded_at = LoadedAt::Query("select max(ts) from raw.orders_log;".into());
        assert_eq!(
            table_query(&t, Dialect::Duckdb).unwrap(),
            "SELECT 'orders' AS table_name, (select max(ts) from raw.orders_log) AS max_loaded_at"
        );
    }

    #[test]
    fn a_list_is_refused_when_empty_repeated_or_past_the_maximum() {
        assert!(freshness_query(&[], Dialect::Duckdb).is_err());
        let t = table("a", "raw", "a", "c");
        assert!(freshness_query(&[t.clone(), t.clone()], Dialect::Duckdb).is_err());
        let many: Vec<_> = (0..=MAX_TABLES).map(|i| table(&format!("t{i}"), "raw", "t", "c")).collect();
        assert!(freshness_query(&many, Dialect::Duckdb).is_err());
        assert_eq!(Dialect::parse("postgresql").unwrap(), Dialect::Postgres);
        assert_eq!(Dialect::Postgres.statement_timeout(1.5).unwrap().as_deref(), Some("SET statement_timeout = 1500"));
        assert_eq!(Dialect::Duckdb.statement_timeout(1.5).unwrap(), None);
        assert!(Dialect::Postgres.statement_timeout(0.0).is_err());
        assert!(Dialect::parse("oracle").is_err());
    }
}
