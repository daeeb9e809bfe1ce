//! Nearest-name suggestions for typos.

/// Candidates close to `wanted`, best first (at most three).
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted_lower = wanted.to_ascii_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_ascii_lowercase();
            let mut score = strsim::jaro_winkler(&wanted_lower, &lower);
            if lower == wanted_lower || normalize(&lower) == normalize(&wanted_lower) {
                score = 2.0;
            }
            (score >= 0.8).then_some((score, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// Drops the separators that differ between naming conventions (`pet_id`, `petId`, `pet-id`).
fn normalize(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn finds_typos_and_convention_changes() {
        let ops = ["listPets", "showPetById", "createPets"];
        assert_eq!(nearest("showPetByID", ops), vec!["showPetById"]);
        assert_eq!(nearest("list_pets", ops)[0], "listPets");
        assert!(nearest("deleteEverything", ops).is_empty());
    }
}
