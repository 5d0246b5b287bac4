//! One module per screen.

pub mod accounts;
pub mod alert_form;
pub mod alerts;
pub mod audit;
pub mod login;
pub mod password;
pub mod queue;
pub mod request;
pub mod structure;
pub mod tips;
pub mod volunteers;
