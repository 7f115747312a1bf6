//! Output columns: no two columns of an instrument may share a name, regardless of case, under
//! the widest options a run can have (standard scores for every scale, and change), as
//! [`crate::columns`] names them.

use std::collections::{HashMap, HashSet};

use super::Compiler;
use crate::columns::{Column, OutputColumns};

/// The scale a column belongs to, if any.
fn scale_of(column: Column) -> Option<usize> {
    match column {
        Column::Score { scale }
        | Column::Band { scale }
        | Column::Standard { scale, .. }
        | Column::Change { scale, .. } => Some(scale),
        _ => None,
    }
}

impl Compiler<'_> {
    /// Refuse the scale ids whose columns would take the name of another column.
    pub(super) fn output_columns(&mut self) {
        let def = self.def;
        let columns = OutputColumns::widest(def);
        let mut seen: HashMap<String, Column> = HashMap::new();
        let mut blamed = HashSet::new();
        let mut problems = Vec::new();
        for column in columns.iter() {
            let name = columns.name(column).to_string();
            let Some(&first) = seen.get(&name.to_lowercase()) else {
                seen.insert(name.to_lowercase(), column);
                continue;
            };
            // The later scale gives way: an earlier one keeps its name.
            let (blame, other) = match (scale_of(column), scale_of(first)) {
                (Some(a), Some(b)) if b > a => (b, column),
                (Some(a), _) => (a, first),
                (None, Some(b)) => (b, column),
                (None, None) => continue,
            };
            let id = &def.scales[blame].id;
            let same_id =
                scale_of(other).is_some_and(|o| def.scales[o].id.eq_ignore_ascii_case(id));
            // Two scales of one id (in any case) are reported as such already.
            if same_id || !blamed.insert(blame) {
                continue;
            }
            let owner = match scale_of(other) {
                Some(o) => format!("a column of scale `{}`", def.scales[o].id),
                None => "one of the instrument's own columns".to_string(),
            };
            let message =
                format!("`{id}` would clash with an output column: `{name}` is also {owner}");
            problems.push((blame, message));
        }
        problems.sort();
        for (blame, message) in problems {
            self.problem(format!("scales[{blame}].id"), message);
        }
    }
}
