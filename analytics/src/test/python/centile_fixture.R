# R quantreg side of make_centile_fixture.py (run by it; reads and writes CSVs in a scratch folder).
#   Rscript centile_fixture.R DIR
# DIR/cohort.csv : structure, metric, sex, age, value (numbers as C99 hex floats: exact round trip)
# DIR/fits.csv   : structure, metric, sex, tau, df  (the fits to make)
# writes DIR/r_fits.csv (n, objective, nonunique warning) and DIR/r_fitted.csv (fitted centile at every
# 4th whole year of age over the group's range, and its oldest), and DIR/ns_basis.csv (R's ns() basis for the Java test).
suppressPackageStartupMessages({ library(quantreg); library(splines) })
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
cohort <- read.csv(file.path(dir, "cohort.csv"), colClasses = "character")
cohort$age <- as.numeric(cohort$age)
cohort$value <- as.numeric(cohort$value)
fits <- read.csv(file.path(dir, "fits.csv"), colClasses = c("character", "character", "character", "numeric", "integer"))
hex <- function(v) sprintf("%a", v)
rho <- function(u, tau) sum(u * (tau - (u < 0)))

out <- list(); fitted <- list()
for (k in seq_len(nrow(fits))) {
  f <- fits[k, ]
  d <- cohort[cohort$structure == f$structure & cohort$metric == f$metric & cohort$sex == f$sex, ]
  warn <- ""
  m <- withCallingHandlers(
    rq(value ~ ns(age, df = f$df), tau = f$tau, data = d, method = "br"),
    warning = function(w) { warn <<- conditionMessage(w); invokeRestart("muffleWarning") })
  lo <- ceiling(min(d$age)); hi <- floor(max(d$age))
  grid <- data.frame(age = unique(c(seq(lo, hi, by = 4), hi)))
  out[[k]] <- data.frame(structure = f$structure, metric = f$metric, sex = f$sex, tau = f$tau, df = f$df,
                         n = nrow(d), objective = hex(rho(residuals(m), f$tau)), nonunique = grepl("nonunique", warn))
  fitted[[k]] <- data.frame(structure = f$structure, metric = f$metric, sex = f$sex, tau = f$tau,
                            age = grid$age, fitted = hex(predict(m, newdata = grid)))
}
write.csv(do.call(rbind, out), file.path(dir, "r_fits.csv"), row.names = FALSE)
write.csv(do.call(rbind, fitted), file.path(dir, "r_fitted.csv"), row.names = FALSE)

# ns() itself: a fixed x with heavy ties, evaluated inside, at the boundary knots and outside (R: linear).
x <- c(rep(18:100, times = 1 + (18:100 %% 3)), 55.5, 61.25)
basis <- list()
for (df in c(1, 2, 4, 6)) {
  b <- ns(x, df = df)
  at <- c(10, 18, 18.5, 30, 47.25, 60, 77, 99.9, 100, 104)
  v <- predict(b, at)
  basis[[length(basis) + 1]] <- data.frame(df = df, x = at, col = rep(seq_len(df), each = length(at)),
                                           value = hex(as.vector(v)))
}
write.csv(do.call(rbind, basis), file.path(dir, "ns_basis.csv"), row.names = FALSE)
writeLines(hex(x), file.path(dir, "ns_x.txt"))
