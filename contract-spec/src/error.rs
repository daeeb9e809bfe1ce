//! One error type for everything that can be wrong with a spec, rendered the way rustc renders
//! its own notes so that a compile error built from it reads naturally.

use std::fmt;

/// Where in the spec a problem sits: a file (as shown to the user), a position in it, and the
/// JSON pointer of the offending node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file, relative to the crate root when it is inside it.
    pub file: String,
    /// 1-based line and column, when known.
    pub line_col: Option<(usize, usize)>,
    /// JSON pointer (without the leading `#`); empty for a problem with the whole file.
    pub pointer: String,
}

impl Place {
    /// `file:line:col` alone, for lists inside a message.
    pub fn short(&self) -> String {
        match self.line_col {
            Some((line, col)) => format!("{}:{line}:{col}", self.file),
            None => self.file.clone(),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, col)) = self.line_col {
            write!(f, ":{line}:{col}")?;
        }
        if !self.pointer.is_empty() {
            write!(f, " (#{})", self.pointer)?;
        }
        Ok(())
    }
}

/// A problem with the spec or with how Rust code relates to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// One line saying what is wrong.
    pub message: String,
    /// Where in the spec, when the problem is in the spec.
    pub place: Option<Place>,
    /// Extra lines: what the spec says, what to do.
    pub notes: Vec<String>,
}

impl SpecError {
    /// A problem saying `message`.
    pub fn new(message: impl Into<String>) -> Self {
        SpecError {
            message: message.into(),
            place: None,
            notes: Vec::new(),
        }
    }

    /// The problem at `place`.
    pub fn at(mut self, place: Place) -> Self {
        self.place = Some(place);
        self
    }

    /// An extra line (`help: …`, `note: …`).
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(place) = &self.place {
            write!(f, "\nspec: {place}")?;
        }
        for note in &self.notes {
            write!(f, "\n{note}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}
