//! The Linli community platform: Protocol v1 API, the built PWA, SQLite storage.
//!
//! [`cli`] parses the command line into typed [`config`]; [`db`] owns the SQLite file and its
//! migrations; [`web`] builds the axum [`web::app`] router with the static-file and header
//! rules of [`headers`].

pub mod api;
pub mod audit;
pub mod auth;
pub mod changelog;
pub mod cli;
pub mod config;
pub mod console_api;
pub mod content;
pub mod db;
pub mod enroll;
pub mod error;
pub mod headers;
pub mod help;
pub mod household;
pub mod household_api;
pub mod keyfile;
pub mod notify;
pub mod openapi;
pub mod password;
pub mod publishing;
pub mod pull;
pub mod push;
pub mod push_api;
pub mod ratelimit;
pub mod rollcall;
pub mod seed;
pub mod signing;
pub mod staff;
pub mod structure;
pub mod structure_api;
pub mod tips;
pub mod volunteer;
pub mod web;
pub mod webpush;
