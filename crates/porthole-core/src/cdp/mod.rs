//! Browsers reached over the Chrome DevTools Protocol, beside agent-browser's stream.
//!
//! Not every agent drives Chrome through agent-browser, and old agent-browser sessions
//! cannot stream. All of them speak CDP. This module is where Porthole learns of them:
//!
//! - [`endpoint`]: the address a person types to connect by hand (loopback only);
//! - [`browsers`]: which running browsers have DevTools open, and how to reach each.
//!
//! Work in progress: the frame source on `Page.startScreencast`, and listing these
//! browsers beside the sessions, come next.

pub mod browsers;
pub mod connection;
pub mod endpoint;
pub mod source;
