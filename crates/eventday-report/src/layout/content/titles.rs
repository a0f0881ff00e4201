//! Officials' titles in English: the usual ranks of Chinese government bodies and associations,
//! so that an English report does not print "副局长" inside an English sentence. A title outside
//! this list is kept as written (a name the data gives in Chinese only).

/// Ranks as written on their own (a title is matched whole: "宣传科科员" stays as written).
const RANKS: &[(&str, &str)] = &[
    ("常务副区长", "Executive Deputy District Mayor"),
    ("常务副市长", "Executive Deputy Mayor"),
    ("副秘书长", "Deputy Secretary-General"),
    ("秘书长", "Secretary-General"),
    ("副书记", "Deputy Party Secretary"),
    ("书记", "Party Secretary"),
    ("副区长", "Deputy District Mayor"),
    ("区长", "District Mayor"),
    ("副市长", "Deputy Mayor"),
    ("市长", "Mayor"),
    ("副省长", "Vice Governor"),
    ("省长", "Governor"),
    ("副局长", "Deputy Director"),
    ("局长", "Director"),
    ("副主任", "Deputy Director"),
    ("主任", "Director"),
    ("副主席", "Vice Chair"),
    ("主席", "Chair"),
    ("副会长", "Vice President"),
    ("会长", "President"),
    ("副巡视员", "Deputy Inspector"),
    ("巡视员", "Inspector"),
    ("调研员", "Consultant"),
    ("副处长", "Deputy Division Director"),
    ("处长", "Division Director"),
    ("副科长", "Deputy Section Chief"),
    ("科长", "Section Chief"),
    ("副所长", "Deputy Head"),
    ("所长", "Head"),
    ("副部长", "Deputy Head"),
    ("部长", "Head"),
    ("副总经理", "Deputy General Manager"),
    ("总经理", "General Manager"),
    ("经理", "Manager"),
    ("副校长", "Vice Principal"),
    ("校长", "Principal"),
    ("领导", "senior official"),
];

/// The English of a title that is one of the ranks; `None` for anything else (the caller keeps
/// the title as written).
#[must_use]
pub(crate) fn title_en(title: &str) -> Option<&'static str> {
    let t = title.trim();
    RANKS.iter().find(|(zh, _)| t == *zh).map(|(_, en)| *en)
}

#[cfg(test)]
mod tests {
    use super::title_en;

    #[test]
    fn ranks_read_in_english_and_the_deputy_is_not_lost() {
        assert_eq!(title_en("副秘书长"), Some("Deputy Secretary-General"));
        assert_eq!(title_en("秘书长"), Some("Secretary-General"));
        assert_eq!(title_en(" 副局长 "), Some("Deputy Director"));
        assert_eq!(title_en("宣传科科员"), None, "an unknown title is kept as written");
    }
}
