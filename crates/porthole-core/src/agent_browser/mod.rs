//! Everything Porthole knows about agent-browser, and nothing else.
//!
//! agent-browser runs one daemon per session. A daemon announces itself only through
//! files in a socket directory ([`socket_dirs`]): `NAME.pid`, `NAME.sock`,
//! `NAME.stream` (the stream server's port) and `NAME.version` ([`session_files`]).
//! Reading those files is side-effect free; running the CLI ([`cli`]) is not: any session
//! command for a session whose daemon is gone starts a new daemon. So the rule throughout
//! Porthole is: discover through files, and call the CLI only for a session whose daemon
//! was just seen alive.

pub mod cli;
pub mod names;
pub mod session_files;
pub mod socket_dirs;
pub mod stream_probe;
