//! Storage failures, classified once from the browser's exception name (never by matching
//! message text), so the app can say in plain words what went wrong.

/// Why the phone's storage refused an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The browser's storage quota is used up (`QuotaExceededError`): nothing more fits.
    Full,
    /// The database connection is closed (the browser closed it, or another tab upgraded the
    /// schema): reopen, or reload the page.
    Closed,
    /// A write clashed with what is stored (`ConstraintError`, e.g. an id used twice).
    Conflict,
    /// Anything else, in the browser's words (for the log).
    Other(String),
}

impl StoreError {
    /// Classifies a DOMException by its `name`.
    pub fn from_exception(name: &str, message: &str) -> StoreError {
        match name {
            "QuotaExceededError" => StoreError::Full,
            "InvalidStateError" | "TransactionInactiveError" => StoreError::Closed,
            "ConstraintError" => StoreError::Conflict,
            _ => StoreError::Other(format!("{name}: {message}")),
        }
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Full => f.write_str("storage is full"),
            StoreError::Closed => f.write_str("the database connection is closed"),
            StoreError::Conflict => f.write_str("a record with this id is already stored"),
            StoreError::Other(m) => f.write_str(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exceptions_are_classified_by_name() {
        assert_eq!(
            StoreError::from_exception("QuotaExceededError", "whatever the browser says"),
            StoreError::Full
        );
        assert_eq!(
            StoreError::from_exception("InvalidStateError", "The database connection is closing."),
            StoreError::Closed
        );
        assert_eq!(
            StoreError::from_exception("ConstraintError", "Key already exists"),
            StoreError::Conflict
        );
        assert_eq!(
            StoreError::from_exception("UnknownError", "disk"),
            StoreError::Other("UnknownError: disk".into())
        );
    }
}
