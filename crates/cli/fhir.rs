//! `screenscore fhir`: QuestionnaireResponses scored, Observations and Questionnaires written.
//! Files only: nothing here talks to a FHIR server.

mod args;
mod questionnaire;
mod score;

pub use args::FhirCommand;

use crate::Outcome;

pub fn run(command: FhirCommand) -> Outcome {
    match command {
        FhirCommand::Flatten(args) => score::flatten(args),
        FhirCommand::Score(args) => score::score(args),
        FhirCommand::Questionnaire { instrument, output } => {
            questionnaire::write(&instrument, output.as_deref())
        }
        FhirCommand::ImportQuestionnaire {
            questionnaire,
            output,
        } => questionnaire::import(&questionnaire, output.as_deref()),
    }
}
