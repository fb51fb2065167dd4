//! `update` without a terminal: keys in, state and effects out. Split by
//! the behaviour under test so each file reads in one sitting.

mod attach;
mod closed;
mod editors;
mod home;
mod jump;
mod paste;
mod quit;
mod screens;
mod sync;
mod teammates;
mod timeline;
mod walk;
