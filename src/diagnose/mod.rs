//! Diagnostics: reads a pasted request, JWT, error response or access log and turns what it
//! finds into findings and facts. Pure and synchronous; never sends anything anywhere.
