//! Parsing an order folder name: `<order number>[ <plate>][<separator><closed keyword>]`.

/// What a folder name says about its order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderName {
    /// The order number: the name up to the first space (`ЗН-004512`).
    pub number: String,
    /// The car's registration plate: the rest of the name, if any (`А123ВС77`).
    pub plate: Option<String>,
    /// Whether the name ends with the closed keyword.
    pub closed: bool,
}

/// Characters trimmed around the closed keyword (SPEC §2).
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == '_' || c == '-'
}

impl OrderName {
    /// Parses a folder name. Returns `None` for a name that holds no order number (blank, or
    /// nothing but the closed keyword).
    pub fn parse(name: &str, closed_keyword: &str) -> Option<Self> {
        let keyword = closed_keyword.trim_matches(is_separator).to_lowercase();
        let trimmed = name.trim_matches(is_separator);
        let lower = trimmed.to_lowercase();
        let (body, closed) = if !keyword.is_empty() && lower.ends_with(&keyword) {
            // Cut by characters, not bytes: lowercasing may change byte lengths.
            let keep = trimmed.chars().count() - keyword.chars().count();
            let body: String = trimmed.chars().take(keep).collect();
            (body.trim_matches(is_separator).to_owned(), true)
        } else {
            (trimmed.to_owned(), false)
        };
        let mut parts = body.splitn(2, char::is_whitespace);
        let number = parts.next().unwrap_or_default().trim().to_owned();
        if number.is_empty() {
            return None;
        }
        let plate = parts
            .next()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        Some(Self {
            number,
            plate,
            closed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str) -> Option<(String, Option<String>, bool)> {
        OrderName::parse(name, "closed").map(|o| (o.number, o.plate, o.closed))
    }

    fn some(
        number: &str,
        plate: Option<&str>,
        closed: bool,
    ) -> Option<(String, Option<String>, bool)> {
        Some((number.to_owned(), plate.map(str::to_owned), closed))
    }

    #[test]
    fn folder_name_table() {
        let cases = [
            ("a000172185", some("a000172185", None, false)),
            (
                "ЗН-004512 А123ВС77",
                some("ЗН-004512", Some("А123ВС77"), false),
            ),
            (
                "ЗН-004512 А 123 ВС 77",
                some("ЗН-004512", Some("А 123 ВС 77"), false),
            ),
            (
                "ЗН-004512 А123ВС77 closed",
                some("ЗН-004512", Some("А123ВС77"), true),
            ),
            (
                "ЗН-004512 А123ВС77_CLOSED",
                some("ЗН-004512", Some("А123ВС77"), true),
            ),
            ("ЗН-004512-Closed -_ ", some("ЗН-004512", None, true)),
            ("  12345  ", some("12345", None, false)),
            ("12345closed", some("12345", None, true)),
            ("closed 12345", some("closed", Some("12345"), false)),
            ("closed", None),
            ("", None),
            ("   ", None),
            (
                "ЗН-1 \"Иванов, И.И.\" 🚗",
                some("ЗН-1", Some("\"Иванов, И.И.\" 🚗"), false),
            ),
        ];
        for (name, expected) in cases {
            assert_eq!(parse(name), expected, "parsing {name:?}");
        }
    }

    #[test]
    fn custom_and_cyrillic_keywords() {
        let order = OrderName::parse("ЗН-77 Х777ХХ ЗАКРЫТ", " закрыт_").expect("parses");
        assert!(order.closed);
        assert_eq!(order.plate.as_deref(), Some("Х777ХХ"));
    }

    #[test]
    fn long_names_work() {
        let plate = "А".repeat(150);
        let name = format!("ЗН-1 {plate}");
        assert!(name.len() > 200);
        let order = OrderName::parse(&name, "closed").expect("parses");
        assert_eq!(order.plate, Some(plate));
    }
}
