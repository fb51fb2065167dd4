//! A recorded walk of the real token-theft tree.
