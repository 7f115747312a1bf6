//! Which item of which definition a response's linkId is: never by position. In order: an
//! explicit map (`from` = linkId, `to` = the item's column), then the item's codes — a linkId
//! equal to a code or ending in `/code` (as LOINC-based forms write `/44250-9`), or the `code`
//! of the item a given Questionnaire has under that linkId. A linkId that is a scale's code is
//! the response's own score of that scale (compared, never used).

use std::collections::HashMap;

use crate::batch::ColumnMap;
use crate::columns::item_column;
use crate::instrument::Instrument;

use super::Questionnaire;

/// What a linkId is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// Item `item` of instrument `instrument`.
    Item { instrument: usize, item: usize },
    /// The response's own score of scale `scale` of instrument `instrument`.
    Stated { instrument: usize, scale: usize },
}

/// The linkIds and codes of a run's instruments, and the canonical URLs of their Questionnaires.
#[derive(Debug, Clone, Default)]
pub(crate) struct LinkIndex {
    /// linkId (as the map gives it) → item.
    mapped: HashMap<String, Target>,
    /// system → code of items and scales → target. Codes of the same system and code on
    /// several instruments (PHQ-2's items are PHQ-9's) keep every target.
    codes: HashMap<String, HashMap<String, Vec<Target>>>,
    /// Canonical URL (without `|version`) → instrument.
    canonicals: HashMap<String, usize>,
    /// Panel code → instrument.
    panels: HashMap<String, usize>,
    /// The Questionnaires given: linkId → the codes of their item.
    questionnaires: Vec<Questionnaire>,
}

impl LinkIndex {
    /// The index of `instruments`, with the linkIds of `map` and the items of `questionnaires`.
    pub(crate) fn new(
        instruments: &[Instrument],
        map: &ColumnMap,
        questionnaires: Vec<Questionnaire>,
    ) -> Result<LinkIndex, String> {
        let mut index = LinkIndex {
            questionnaires,
            ..LinkIndex::default()
        };
        let mut columns: HashMap<String, Target> = HashMap::new();
        for (k, instrument) in instruments.iter().enumerate() {
            let def = instrument.definition();
            for (i, item) in def.items.iter().enumerate() {
                let target = Target::Item {
                    instrument: k,
                    item: i,
                };
                columns.insert(item_column(def, i).to_string().to_lowercase(), target);
                for code in &item.codes {
                    index.add(&code.system, &code.code, target);
                }
            }
            for (s, scale) in def.scales.iter().enumerate() {
                for code in &scale.codes {
                    let target = Target::Stated {
                        instrument: k,
                        scale: s,
                    };
                    index.add(&code.system, &code.code, target);
                }
            }
            for q in &def.questionnaires {
                index.canonicals.insert(canonical(&q.url).to_string(), k);
            }
            for code in &def.codes {
                index.panels.insert(code.code.clone(), k);
            }
        }
        for (from, to) in map.entries() {
            let Some(&target) = columns.get(&to.to_lowercase()) else {
                return Err(format!(
                    "the map names `{to}` for linkId `{from}`, which is no item column of the instruments given"
                ));
            };
            index.mapped.insert(from.to_string(), target);
        }
        Ok(index)
    }

    fn add(&mut self, system: &str, code: &str, target: Target) {
        let codes = self.codes.entry(system.to_string()).or_default();
        codes.entry(code.to_string()).or_default().push(target);
    }

    /// The targets of `code` of `system`.
    fn of(&self, system: &str, code: &str) -> Option<&[Target]> {
        self.codes.get(system)?.get(code).map(Vec::as_slice)
    }

    /// The instrument whose Questionnaire the response says it answers: a definition naming
    /// that canonical URL; else the panel code of a given Questionnaire of that URL, or the
    /// URL's last segment (`…/Questionnaire/44249-1`) as a panel code.
    pub(crate) fn instrument_of(&self, questionnaire: &str) -> Option<usize> {
        let url = canonical(questionnaire);
        if let Some(&k) = self.canonicals.get(url) {
            return Some(k);
        }
        let given = self
            .questionnaires
            .iter()
            .find(|q| q.url.as_deref().map(canonical) == Some(url));
        let codes = given
            .into_iter()
            .flat_map(|q| &q.code)
            .filter_map(|c| c.code.as_deref());
        let last = url.rsplit('/').next().filter(|s| !s.is_empty());
        codes
            .chain(last)
            .find_map(|code| self.panels.get(code).copied())
    }

    /// What `link_id` is, among the targets of instrument `only` when the response's
    /// Questionnaire is known. `Err(n)`: it names items of `n` instruments, so it is ambiguous.
    pub(crate) fn target(
        &self,
        link_id: &str,
        only: Option<usize>,
    ) -> Result<Option<Target>, usize> {
        if let Some(&target) = self.mapped.get(link_id) {
            return Ok(Some(target));
        }
        let keep = |t: &&Target| match (only, t) {
            (None, _) => true,
            (Some(k), Target::Item { instrument, .. } | Target::Stated { instrument, .. }) => {
                *instrument == k
            }
        };
        let pick = |targets: &[Target]| -> Result<Option<Target>, usize> {
            let kept: Vec<&Target> = targets.iter().filter(keep).collect();
            match kept.as_slice() {
                [] => Ok(None),
                [one] => Ok(Some(**one)),
                many => Err(many.len()),
            }
        };
        // The linkId is a code, or ends in one (`/44250-9`): LOINC's forms write them so.
        let code = link_id.rsplit('/').next().unwrap_or(link_id);
        if let Some(targets) = self.of(crate::definition::LOINC_SYSTEM, code)
            && let found @ (Ok(Some(_)) | Err(_)) = pick(targets)
        {
            return found;
        }
        // The item of a given Questionnaire under that linkId, by its codes.
        for q in &self.questionnaires {
            let Some(item) = q.find_item(link_id) else {
                continue;
            };
            for coding in &item.code {
                let (Some(system), Some(code)) = (&coding.system, &coding.code) else {
                    continue;
                };
                if let Some(targets) = self.of(system, code)
                    && let found @ (Ok(Some(_)) | Err(_)) = pick(targets)
                {
                    return found;
                }
            }
        }
        Ok(None)
    }

    /// The Questionnaires given.
    pub(crate) fn questionnaires(&self) -> &[Questionnaire] {
        &self.questionnaires
    }
}

/// A canonical URL without its `|version`.
fn canonical(url: &str) -> &str {
    url.split('|').next().unwrap_or(url).trim()
}
