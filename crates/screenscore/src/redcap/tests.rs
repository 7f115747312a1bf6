//! Unit tests of the dictionary reader, choices, plain text and the skeleton.
