# The R comparison of bench/run.py: read the intake file with read.csv and score the PHQ-9
# items (phq9_1 … phq9_9, all keyed +1) with psych::scoreItems as sums, writing the totals.
#   Rscript bench/psych.R intake.csv > totals.csv
args <- commandArgs(trailingOnly = TRUE)
intake <- read.csv(args[1])
items <- paste0("phq9_", 1:9)
keys <- list(phq9 = items)
# Sums of the answered items (psych warns that totals without imputation understate scores).
scored <- suppressWarnings(
  psych::scoreItems(keys, intake[, items], totals = TRUE, impute = "none")
)
write.csv(data.frame(client_id = intake$client_id, phq9 = scored$scores[, 1]), row.names = FALSE)
