//! `screenscore instruments list | show | template | check | schema`.

use crate::support::{data, screenscore};

#[test]
fn list_shows_each_instrument_with_its_status() {
    let run = screenscore(&["instruments", "list"], b"");
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.stdout, @"
    ID      STATUS       ITEMS  COMMERCIAL USE  NAME                                                                SCALES
    phq9    validated    9      allowed         Patient Health Questionnaire-9                                      total
    phq2    validated    2      allowed         Patient Health Questionnaire-2                                      total
    gad7    validated    7      allowed         Generalized Anxiety Disorder 7-item scale                           total
    gad2    validated    2      allowed         Generalized Anxiety Disorder 2-item scale                           total
    phq15   validated    15     allowed         Patient Health Questionnaire-15                                     total
    audit   validated    10     NOT ALLOWED     Alcohol Use Disorders Identification Test                           total, consumption, dependence, harm
    auditc  validated    3      allowed         AUDIT Alcohol Consumption Questions (AUDIT-C)                       total
    dast10  validated    10     NOT ALLOWED     Drug Abuse Screening Test, 10-item version (DAST-10)                total
    k10     validated    10     allowed         Kessler Psychological Distress Scale (K10), Australian 1-5 scoring  total, total_0_40
    k6      validated    6      allowed         Kessler Psychological Distress Scale (K6)                           total, total_6_30
    who5    validated    5      NOT ALLOWED     World Health Organization-Five Well-Being Index (WHO-5)             total, percent
    pcl5    validated    20     allowed         PTSD Checklist for DSM-5                                            total, b, c, d, e
    rses    validated    10     not stated      Rosenberg Self-Esteem Scale                                         total, total_1to4
    sfcs    provisional  16     not stated      Spann-Fischer Codependency Scale                                    total
    cffs    unvalidated  20     allowed         Codependency Four-Factor Screen                                     external_focusing, self_sacrifice, emotional_suppression, interpersonal_control, total

    COMMERCIAL USE NOT ALLOWED: the instrument's terms are non-commercial. `screenscore instruments show ID` gives its licence, citation and sources.
    ");
}

#[test]
fn show_gives_columns_bands_rules_and_sources() {
    let run = screenscore(&["instruments", "show", "gad7"], b"");
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.stdout, @r#"
    gad7: Generalized Anxiety Disorder 7-item scale (definition version 1.0.0)
    Measures:  Anxiety symptoms over the last 2 weeks
    Status:    validated
    Citation:  Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety disorder: the GAD-7. Arch Intern Med 2006;166:1092-1097
    Licence:   Free to use (Copyright © Pfizer Inc.)
               As for the PHQ: no permission is required to reproduce, translate, display or distribute.
               Source: phqscreeners.com, quoted in CamCOPS docs/source/tasks/phq9.rst and gad7.rst [verified]
    Codes:
      code: http://loinc.org|69737-5 "Generalized anxiety disorder 7 item (GAD-7)"
        source: HL7 PCO IG, input/resources/questionnaire/Questionnaire-GAD7.json (github.com/HL7/pco-ig, commit 3213629): Questionnaire.code [secondary source]
    FHIR Questionnaires:
      http://hl7.org/fhir/us/pco/Questionnaire/69737-5
        source: HL7 PCO IG, input/resources/questionnaire/Questionnaire-GAD7.json (github.com/HL7/pco-ig, commit 3213629): Questionnaire.url [secondary source]

    Items (CSV column: summary [response set]):
      gad7_1: Nervous, anxious or on edge [frequency]
          code: http://loinc.org|69725-0
            source: HL7 PCO IG, input/resources/questionnaire/Questionnaire-GAD7.json (github.com/HL7/pco-ig, commit 3213629): question 1, item linkId 57541 [secondary source]
      gad7_2: Cannot stop or control worrying [frequency]
          code: http://loinc.org|68509-9
            source: HL7 PCO IG, input/resources/questionnaire/Questionnaire-GAD7.json (github.com/HL7/pco-ig, commit 3213629): question 2, item linkId 57542 [secondary source]
      gad7_3: Worrying too much about different things [frequency]
          code: http://loinc.org|69733-4
            source: HL7 PCO IG, input/resources/questionnaire/Questionnaire-GAD7.json (github.com/HL7/pco-ig, commit 3213629): question 3, item linkId 57543 [secondary source]
      gad7_4: Trouble relaxing [frequency]
          code: http://loinc.org|69734-2
            source: HL7 PCO IG, input/resources/questionnaire/Questionnaire-GAD7.json (github.com/HL7/pco-ig, commit 3213629): question 4, item linkId 57544 [secondary source]
      gad7_5: Restlessness [frequency]
          code: http://loinc.org|69735-9
            source: HL7 PCO IG, input/resources/questionnaire/Questionnaire-GAD7.json (github.com/HL7/pco-ig, commit 3213629): question 5, item linkId 57545 [secondary source]
      gad7_6: Easily annoyed or irritable [frequency]
          code: http://loinc.org|69689-8
            source: HL7 PCO IG, input/resources/questionnaire/Questionnaire-GAD7.json (github.com/HL7/pco-ig, commit 3213629): question 6, item linkId 57546 [secondary source]
      gad7_7: Afraid something awful might happen [frequency]
          code: http://loinc.org|69736-7
            source: HL7 PCO IG, input/resources/questionnaire/Questionnaire-GAD7.json (github.com/HL7/pco-ig, commit 3213629): question 7, item linkId 57547 [secondary source]

    Response sets:
      frequency: 0 = Not at all [LA6568-5] / Überhaupt nicht (de), 1 = Several days [LA6569-3] / An einzelnen Tagen (de), 2 = More than half the days [LA6570-1] / An mehr als der Hälfte der Tage (de), 3 = Nearly every day [LA6571-9] / Beinahe jeden Tag (de)

    Scales:
      total: Anxiety severity (items 1-7, 0-21)
        column gad7_total, range 0-21, higher is worse
        code: http://loinc.org|70274-6 "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"
          source: HL7 PCO IG, input/fsh/PROMExamples.fsh (github.com/HL7/pco-ig, commit 3213629): Observation pcoPROMScoreAnxietyBaseline, code [secondary source]
        sum of items 1, 2, 3, 4, 5, 6, 7
        missing: scored only when every item is answered; source: screenscore policy: no missing-item rule from the instrument's developers was found [screenscore policy]
        norms german_general_population_2006: German general population, national face-to-face household survey, May-June 2006 (n = 5030; 53.6% women; mean age 48.4, SD 18.0)
          all: mean 2.95, SD 3.4, n 5030
          female: mean 3.2, SD 3.5
          male: mean 2.7, SD 3.2
          reliability: internal_consistency 0.89
          source: Löwe B, Decker O, Müller S, et al. Validation and standardization of the Generalized Anxiety Disorder Screener (GAD-7) in the general population. Med Care 2008;46(3):266-274, abstract (journals.lww.com): women 3.2 (3.5), men 2.7 (3.2), alpha .89 identical across subgroups [verified]; whole sample 2.95 (3.4) as cited in Public Health 2020;189:158-161, Table 1 (PMC7598559) [secondary]. No percentile ranks are shipped: the paper gives normative data by sex and age, but its table was not available to transcribe and check, and a normal curve misstates this skewed score (the abstract reports about 1% at 15 or more, where the normal curve gives 0.02%). [secondary source]
        bands (CamCOPS server/camcops_server/tasks/gad7.py severity(); Spitzer et al. 2006 [verified]):
          0-4          minimal
          5-9          mild
          10-14        moderate
          15-21        severe

    Rules (flags written to gad7_flags):
      positive_screen [info]: Total 10 or more: positive screen for generalized anxiety disorder (sensitivity 89%, specificity 82%)
        when total >= 10
        source: Spitzer et al. 2006, as cited in CamCOPS gad7.py and docs/source/tasks/gad7.rst [verified]

    Notes:
      - Item labels are short summaries in this project's words, not the form's wording.
      - LOINC answer codes of the four answers (LA6568-5, LA6569-3, LA6570-1, LA6571-9, in that order) follow the PCO IG's GAD-7 Questionnaire (HL7/pco-ig@3213629, input/resources/questionnaire/Questionnaire-GAD7.json, CC0), which lists them for every item; it gives no weights, so the values 0-3 remain the published scoring's.
      - The zero anchor is "Not at all"; many copies wrongly print "Not at all sure" (Zorowitz et al. 2021, Lancet Psychiatry 8:180, cited in CamCOPS gad7.rst). "Not at all sure" is not accepted.
      - The form's difficulty question is not scored and is not part of this definition: no source for its coding was verified.
      - No developer rule for missing items was found; this definition scores the total only when all seven items are answered (screenscore policy).
      - LOINC codes (`codes`): the panel and question codes are those of the HL7 PCO IG's GAD-7 Questionnaire; its total-score item carries no code, so the total's code is from the same IG's GAD-7 score Observation examples. The HL7 Personal Health Record Format IG (github.com/HL7/personal-health-record-format-ig, input/fsh/pghd/examples/Mind/) gives the same question codes (QuestionnaireResponse-ScoredAssessment-GAD7.fsh) and total code (Observation-PHR-ScoredAssessment-GAD7.fsh). LOINC's own page of the PHQ-SADS panel (loinc.org/69729-2, LOINC version 2.77) lists the same seven question codes and the total 70274-6.
      - German answer labels (aliases, language de) are those of the authorized German version, Löwe B, Spitzer RL, Zipfel S, Herzog W. Gesundheitsfragebogen für Patienten (PHQ-D). Karlsruhe: Pfizer; 2002, as given by the Medizininformatik-Initiative FHIR IG (module PRO); they were not read in the PHQ-D form itself (evidence: secondary). The PHQ terms allow translation and distribution without permission.

    LOINC notice: This material contains content from LOINC (http://loinc.org). LOINC is copyright © 1995-2020, Regenstrief Institute, Inc. and the Logical Observation Identifiers Names and Codes (LOINC) Committee and is available at no cost under the license at http://loinc.org/license. LOINC® is a registered United States trademark of Regenstrief Institute, Inc.

    Input columns: gad7_1,gad7_2,gad7_3,gad7_4,gad7_5,gad7_6,gad7_7
    Output columns: gad7_total,gad7_total_band,gad7_status,gad7_flags,gad7_error,gad7_notes
    "#);
}

/// The lines of `show` from `Scales:` up to the next blank line.
fn scales_section(shown: &str) -> String {
    let start = shown.find("Scales:\n").expect("a Scales section");
    let section = &shown[start..];
    let end = section.find("\n\n").map_or(section.len(), |e| e + 1);
    section[..end].to_string()
}

#[test]
fn show_gives_the_phq15_maximum_for_men_from_the_definition() {
    // Item 4 (menstrual problems, 0-2) applies only if sex is female: without it the range is
    // 0-30 less item 4's 0 and 2, 0-28 (CamCOPS phq15.py: "In males, maximum score is actually 28").
    let run = screenscore(&["instruments", "show", "phq15"], b"");
    assert_eq!(run.code, 0);
    let scales = scales_section(&run.stdout);
    insta::assert_snapshot!(scales.lines().take(4).collect::<Vec<_>>().join("\n"), @"
    Scales:
      total: Somatic symptom severity (items 1-15, 0-30; 0-28 for men)
        column phq15_total, range 0-30, higher is worse
        range 0-28 for sex male: item 4 applies only if sex is female
    ");
}

#[test]
fn show_computes_the_range_without_every_item_that_does_not_apply() {
    // Two women-only items, 1-5 and 0-3: a sum over 1-5, 1-5, 0-3 is 2-13; without the two
    // women-only items it is 2 - 1 - 0 = 1 to 13 - 5 - 3 = 5. A mean keeps its range, so no line.
    let dir = crate::support::temp_dir("show-applies-if");
    let path = dir.join("sub.json");
    std::fs::write(
        &path,
        r#"{"id": "sub", "name": "Subgroup items", "measures": "test", "version": "1",
  "status": "unvalidated", "citation": "test",
  "license": {"name": "test", "terms": "test", "commercial_use": "allowed",
              "source": {"ref": "test", "evidence": "authored"}},
  "attributes": [{"id": "sex", "label": "Sex", "values": [{"value": "female"}, {"value": "male"}, {"value": "other"}]}],
  "response_sets": [
    {"id": "five", "options": [{"value": 1, "label": "a"}, {"value": 2, "label": "b"}, {"value": 3, "label": "c"}, {"value": 4, "label": "d"}, {"value": 5, "label": "e"}]},
    {"id": "four", "options": [{"value": 0, "label": "w"}, {"value": 1, "label": "x"}, {"value": 2, "label": "y"}, {"value": 3, "label": "z"}]}],
  "items": [
    {"id": "1", "label": "everyone", "response_set": "five"},
    {"id": "2", "label": "women only", "response_set": "five", "applies_if": {"attribute": {"id": "sex", "in": ["female"]}}},
    {"id": "3", "label": "women only too", "response_set": "four", "applies_if": {"attribute": {"id": "sex", "in": ["female"]}}}],
  "scales": [
    {"id": "total", "label": "Sum", "items": ["1", "2", "3"], "method": "sum",
     "missing": {"max_missing": 0, "source": {"ref": "test", "evidence": "policy"}}, "higher_is": "worse"},
    {"id": "average", "label": "Mean", "items": ["1", "2"], "method": "mean",
     "missing": {"max_missing": 0, "source": {"ref": "test", "evidence": "policy"}}, "higher_is": "worse"}]}"#,
    )
    .unwrap();
    let run = screenscore(&["instruments", "show", path.to_str().unwrap()], b"");
    assert_eq!(run.code, 0, "{}", run.transcript());
    let scales = scales_section(&run.stdout);
    let ranges: Vec<&str> = scales.lines().filter(|l| l.contains("range")).collect();
    insta::assert_snapshot!(ranges.join("\n"), @"
        column sub_total, range 2-13, higher is worse
        range 1-5 for sex male or other: items 2, 3 apply only if sex is female
        column sub_average, range 1-5, higher is worse
    ");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn template_prints_the_intake_header() {
    let run = screenscore(&["instruments", "template", "phq9", "gad7"], b"");
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.stdout, @"phq9_1,phq9_2,phq9_3,phq9_4,phq9_5,phq9_6,phq9_7,phq9_8,phq9_9,phq9_10,gad7_1,gad7_2,gad7_3,gad7_4,gad7_5,gad7_6,gad7_7");
}

#[test]
fn template_with_ids_adds_client_and_date_columns_first() {
    let run = screenscore(&["instruments", "template", "--with", "ids", "phq2"], b"");
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.stdout, @"client_id,date,phq2_1,phq2_2");
}

/// A user's definition's `policy` sources are that definition's, not screenscore's; a bundled
/// definition's are screenscore's.
#[test]
fn show_says_whose_policy_a_source_is() {
    let path = data("definitions/missing-rules.json");
    let run = screenscore(&["instruments", "show", &path], b"");
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout.contains("[policy of this definition]"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("screenscore policy"), "{}", run.stdout);
    let run = screenscore(&["instruments", "show", "phq9"], b"");
    assert!(
        run.stdout.contains("[screenscore policy]"),
        "{}",
        run.stdout
    );
}

/// The CODAT-shaped definition: its composite total is shown with the subscales it sums and its
/// rule counted in subscales.
#[test]
fn show_renders_a_composite() {
    let path = data("definitions/codat_shaped.json");
    let run = screenscore(&["instruments", "show", &path], b"");
    assert_eq!(run.code, 0, "{}", run.transcript());
    let total = &run.stdout[run.stdout.find("  total:").unwrap()..];
    let total = &total[..total.find("\n\n").unwrap()];
    insta::assert_snapshot!(total, @"
    total: Total (sum of the five subscales)
      column codat_shaped_total, range 25-125, higher is worse
      sum of scales other_focus, self_worth, hiding_self, medical, family_of_origin
      missing: scored only when every component scale is scored; source: Made-up manual, total: the sum of the five subscales, scored only when all five are [verified]
    ");
}

#[test]
fn check_accepts_a_valid_definition() {
    let path = data("definitions/missing-rules.json");
    let run = screenscore(&["instruments", "check", &path], b"");
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.stdout.replace(&path, "missing-rules.json"), @"ok: missing-rules.json defines `mr` (Missing-rule fixture): 4 items (4 scored), 4 scales, 0 rules; status validated");
}

#[test]
fn check_of_a_missing_file_says_so() {
    let run = screenscore(&["instruments", "check", "no/such/file.json"], b"");
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.transcript(), @"
    exit: 2
    --- stderr
    error: cannot read instrument definition no/such/file.json: No such file or directory (os error 2)
    ");
}

#[test]
fn schema_prints_the_committed_schema() {
    let run = screenscore(&["instruments", "schema"], b"");
    assert_eq!(run.code, 0);
    let committed =
        std::fs::read_to_string(crate::support::root().join("instruments/schema.json")).unwrap();
    assert_eq!(run.stdout, committed);
}

/// The lines of `show` from its first line to the blank line before `Items`.
fn header_section(shown: &str) -> String {
    let end = shown.find("\n\nItems").expect("an Items section");
    shown[..end].to_string()
}

/// PHQ-9's panel code and its two published Questionnaires, each with its source; every item's
/// and the total's code; and the notice LOINC's licence asks for, because it carries LOINC codes.
#[test]
fn show_lists_codes_questionnaires_and_the_loinc_notice() {
    let run = screenscore(&["instruments", "show", "phq9"], b"");
    assert_eq!(run.code, 0, "{}", run.transcript());
    let header = header_section(&run.stdout);
    let codes = &header[header.find("Codes:").expect("a Codes section")..];
    insta::assert_snapshot!(codes, @r#"
    Codes:
      code: http://loinc.org|44249-1 "PHQ-9 quick depression assessment panel [Reported.PHQ]"
        source: HL7 US Core, input/examples/Questionnaire-phq-9-example.json (github.com/HL7/US-Core, commit 85bf4af): Questionnaire.code; the same panel code in HL7 PCO IG, input/resources/questionnaire/Questionnaire-PHQ9.json (github.com/HL7/pco-ig, commit 3213629) [secondary source]
    FHIR Questionnaires:
      http://hl7.org/fhir/us/core/Questionnaire/phq-9-example
        source: HL7 US Core, input/examples/Questionnaire-phq-9-example.json (github.com/HL7/US-Core, commit 85bf4af): Questionnaire.url [secondary source]
      http://hl7.org/fhir/us/pco/Questionnaire/44249-1
        source: HL7 PCO IG, input/resources/questionnaire/Questionnaire-PHQ9.json (github.com/HL7/pco-ig, commit 3213629): Questionnaire.url [secondary source]
      http://loinc.org/q/44249-1
        source: the Questionnaire of LOINC panel 44249-1 as published in the PACIO sample data package fhir.paciosampledata (packages2.fhir.org/xig/resource/fhir.paciosampledata%7Ccurrent/Questionnaire/44249-1: URL http://loinc.org/q/44249-1); LOINC's panel pages name LOINC's FHIR Questionnaires by this form of URL (loinc.org/55757-9: fhir.loinc.org/Questionnaire/?url=http://loinc.org/q/55757-9) [secondary source]
    "#);
    let item_codes: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("      code: "))
        .collect();
    assert_eq!(item_codes.len(), 10, "{}", run.stdout);
    assert!(item_codes[0].contains("|44250-9 "), "{}", item_codes[0]);
    assert!(item_codes[9].contains("|69722-7 "), "{}", item_codes[9]);
    let scales = scales_section(&run.stdout);
    assert!(
        scales.contains("    code: http://loinc.org|44261-6 "),
        "{scales}"
    );
    assert!(
        run.stdout.contains(&format!(
            "\nLOINC notice: {}\n",
            screenscore::definition::LOINC_NOTICE
        )),
        "{}",
        run.stdout
    );
}

/// A definition without codes shows no code lines and no LOINC notice.
#[test]
fn show_gives_no_loinc_notice_without_loinc_codes() {
    let run = screenscore(&["instruments", "show", "cffs"], b"");
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(!run.stdout.contains("LOINC notice"), "{}", run.stdout);
    assert!(!run.stdout.contains("Codes:"), "{}", run.stdout);
    assert!(!run.stdout.contains("code: "), "{}", run.stdout);
}
