//! One attached session, from its stream port to frames on screen.
//!
//! [`ensure`] makes a live session's stream attachable (through the CLI, only for a
//! daemon just seen alive). [`attachment`] connects to it with ack pacing, pumps the
//! newest frame out through a watch channel, forwards input, and ends cleanly when the
//! session is gone. [`protocol`] is the stream's wire format, [`frames`] the frame and
//! its statistics, [`activity`] what the agent last asked the browser to do.

pub mod activity;
pub mod attachment;
pub mod ensure;
pub mod frames;
pub mod protocol;
