//! What the person does to the attached page besides pointer and keys: [`navigation`]
//! (back, forward, reload, open, tabs) through the session's own CLI, and
//! [`screenshot`] (the frame on screen saved as PNG or WebP).

pub mod navigation;
pub mod screenshot;
