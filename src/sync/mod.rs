//! The Sentinel incident as the team's shared record: attaching a Cairn
//! incident to one. Domain only: the CLI and the screen call in here, and
//! nothing here touches a terminal.

pub mod attach;
pub mod comment;
