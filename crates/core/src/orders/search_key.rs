//! Search normalisation: case, spaces and Latin/Cyrillic look-alike letters (SPEC §4.2).

/// Folds `text` for matching: lowercase, no whitespace, and each Cyrillic letter that looks like
/// a Latin one (А В Е К М Н О Р С Т У Х, as on Russian plates) replaced by that Latin letter, so
/// `a123bc` finds `А123ВС77` whichever keyboard layout typed either.
pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'а' => 'a',
            'в' => 'b',
            'е' | 'ё' => 'e',
            'к' => 'k',
            'м' => 'm',
            'н' => 'h',
            'о' => 'o',
            'р' => 'p',
            'с' => 'c',
            'т' => 't',
            'у' => 'y',
            'х' => 'x',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn latin_and_cyrillic_plates_fold_alike() {
        // Cyrillic on the left, Latin on the right.
        assert_eq!(fold("А123ВС77"), fold("a123bc77"));
        assert_eq!(fold("ЕКМНОРСТУХ"), fold("ekmhopctyx"));
        assert_eq!(fold("  Х 777 ХХ "), "x777xx");
        assert_ne!(fold("Д123"), fold("D123"), "Д has no Latin twin");
    }
}
