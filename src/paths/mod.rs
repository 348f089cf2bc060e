//! Path semantics shared by the path passes: how nginx reads a path pattern and
//! how to say the same thing in Gateway API.

pub mod encode;
pub mod overlap;
pub mod pcre;
pub mod plain;
pub mod portable;
pub mod prefix;
pub mod regex;
pub mod rewrite_idiom;
pub mod sample;
