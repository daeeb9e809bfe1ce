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
            // Jaro-Winkler rates a short name with the same first letters high against a long
            // one (`not-in-the-spec` and `none`: 0.82): a suggestion must also be within half
            // its length in edits.
            let edits = strsim::levenshtein(&wanted_lower, &lower);
            let close = score >= 2.0 || edits * 2 <= wanted_lower.len().max(lower.len());
            (score >= 0.8 && close).then_some((score, c))
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
        assert_eq!(
            nearest("created", ["created_at", "creator"]),
            vec!["created_at", "creator"]
        );
        assert_eq!(
            nearest("descripton", ["description", "id"]),
            vec!["description"]
        );
        assert!(nearest("not-in-the-spec", ["none", "day", "notice"]).is_empty());
    }
}
