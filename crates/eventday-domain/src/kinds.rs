//! The closed vocabularies of the domain, stored as lowercase text in the database.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An unknown value for a closed vocabulary; names the accepted values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}; expected one of: {expected}")]
pub struct UnknownKind {
    /// Which vocabulary.
    pub what: &'static str,
    /// What was given.
    pub value: String,
    /// The accepted values, comma separated.
    pub expected: String,
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal / $zh:literal / $en:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        // Stored as its text spelling (`as_str`) in a text column, on both databases.
        #[cfg_attr(feature = "sea-orm", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored (and JSON) spelling.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The Chinese label shown to people.
            #[must_use]
            pub const fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            /// The English label shown to people.
            #[must_use]
            pub const fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// The label shown to people in `lang`.
            #[must_use]
            pub const fn label(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::Zh => self.label_zh(),
                    Lang::En => self.label_en(),
                }
            }

            /// The English label of several of them ("government agencies").
            #[must_use]
            pub fn plural_en(self) -> String {
                plural_en(self.label_en())
            }

            /// Other spellings people write for a value (in CSV files, say), besides its
            /// text, its Chinese and its English label.
            #[must_use]
            pub const fn aliases(self) -> &'static [&'static str] {
                match self { $($name::$variant => &[$($alias),*]),+ }
            }

            /// Reads a value from what a person wrote: the text spelling, either label or an
            /// alias (ASCII case ignored, surrounding spaces trimmed).
            #[must_use]
            pub fn from_label(s: &str) -> Option<Self> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|k| {
                    k.as_str().eq_ignore_ascii_case(s)
                        || k.label_zh() == s
                        || k.label_en().eq_ignore_ascii_case(s)
                        || k.aliases().iter().any(|a| a.eq_ignore_ascii_case(s))
                })
            }
        }

        impl FromStr for $name {
            type Err = UnknownKind;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownKind {
                        what: $what,
                        value: s.chars().take(40).collect(),
                        expected: [$($text),+].join(", "),
                    }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// The English plural of a label: its last word takes -s, -es or -ies.
fn plural_en(label: &str) -> String {
    let consonant_y = label.ends_with('y') && !label.ends_with("ey") && !label.ends_with("ay");
    if consonant_y {
        format!("{}ies", &label[..label.len() - 1])
    } else if ["s", "sh", "ch", "x"].iter().any(|e| label.ends_with(e)) {
        format!("{label}es")
    } else {
        format!("{label}s")
    }
}

vocabulary!(
    /// Where a campaign is in its life.
    CampaignStatus, "campaign status" {
        /// Being planned.
        Planning => "planning" / "筹备中" / "planning",
        /// The event day is running.
        Live => "live" / "进行中" / "live",
        /// Over; figures are final.
        Closed => "closed" / "已结束" / "closed",
    }
);

vocabulary!(
    /// Main venue or sub-venue.
    VenueKind, "venue kind" {
        /// The main venue (one per campaign).
        Main => "main" / "主会场" / "main venue",
        /// A sub-venue run by a branch or street office.
        Sub => "sub" / "分会场" / "sub-venue",
    }
);

vocabulary!(
    /// What kind of body a unit is.
    UnitKind, "unit kind" {
        /// A government agency.
        Agency => "agency" / "职能部门" / "government agency" | "agency" | "政府部门" | "行政部门",
        /// An enterprise.
        Enterprise => "enterprise" / "企业" / "enterprise",
        /// A media outlet.
        Media => "media" / "媒体" / "media outlet",
        /// A school or university.
        School => "school" / "学校" / "school",
        /// A residents' community.
        Community => "community" / "社区" / "residents' community",
        /// An association.
        Association => "association" / "协会" / "association" | "社会组织" | "消协",
        /// Anything else.
        Other => "other" / "其他" / "other body",
    }
);

vocabulary!(
    /// What a booth is for.
    BoothKind, "booth kind" {
        /// Advisory desk.
        Consultation => "consultation" / "咨询" / "consultation",
        /// Exhibition of products.
        Exhibition => "exhibition" / "展示" / "exhibition",
        /// Demonstration (e.g. spotting fakes).
        Demonstration => "demonstration" / "演示" / "demonstration",
        /// Stage.
        Stage => "stage" / "舞台" / "stage",
        /// Information desk.
        Info => "info" / "服务台" / "information",
    }
);

vocabulary!(
    /// What kind of activity.
    ActivityKind, "activity kind" {
        /// Consultation session.
        Consultation => "consultation" / "咨询活动" / "consultation",
        /// Outreach into a residents' community.
        CommunityOutreach => "community_outreach" / "进社区" / "community outreach",
        /// Lecture at a school.
        SchoolLecture => "school_lecture" / "进校园" / "school lecture",
        /// Demonstration of spotting fakes.
        FakeSpotting => "fake_spotting" / "识假辨假" / "fake-spotting demonstration",
        /// Product exhibition.
        ProductExhibition => "product_exhibition" / "产品展示" / "product exhibition",
        /// Ceremony.
        Ceremony => "ceremony" / "仪式" / "ceremony",
        /// Anything else.
        Other => "other" / "其他" / "other",
    }
);

vocabulary!(
    /// How a medium reaches people.
    MediaChannel, "media channel" {
        /// Television.
        Tv => "tv" / "电视" / "TV" | "电视台",
        /// Radio.
        Radio => "radio" / "广播" / "radio",
        /// Newspaper.
        Newspaper => "newspaper" / "报纸" / "newspaper" | "报社",
        /// Online news.
        Online => "online" / "网络" / "online" | "网站",
        /// Social media.
        Social => "social" / "新媒体" / "social media" | "社交媒体" | "自媒体",
    }
);

vocabulary!(
    /// The form of a media item.
    MediaFormat, "media format" {
        /// Live broadcast (TV or radio).
        Live => "live" / "直播" / "live broadcast" | "live" | "现场直播",
        /// Live coverage in photos and text, online.
        PhotoTextLive => "photo_text_live" / "图文直播" / "photo-text live",
        /// News report.
        Report => "report" / "报道" / "news report" | "report" | "新闻报道" | "消息",
        /// News photo(s) with a caption.
        PhotoNews => "photo_news" / "图片新闻" / "photo news",
        /// A brief.
        Brief => "brief" / "简讯" / "brief" | "短讯",
        /// Feature.
        Feature => "feature" / "专题" / "feature" | "专题报道",
        /// Interview.
        Interview => "interview" / "专访" / "interview" | "采访",
        /// An article online.
        OnlineArticle => "online_article" / "网络文章" / "online article" | "网文",
        /// A post on a WeChat official account.
        WechatPost => "wechat_post" / "微信推文" / "WeChat post" | "微信" | "公众号文章",
        /// A short video.
        ShortVideo => "short_video" / "短视频" / "short video",
    }
);

vocabulary!(
    /// Where a venue is set up.
    VenueSetting, "venue setting" {
        /// A public square.
        Square => "square" / "广场" / "square",
        /// A residents' community.
        Community => "community" / "社区" / "community",
        /// A school.
        School => "school" / "学校" / "school" | "校园",
        /// A market.
        Market => "market" / "市场" / "market" | "农贸市场",
        /// A shopping mall.
        Mall => "mall" / "商场" / "mall" | "商场超市" | "超市",
        /// A street office.
        StreetOffice => "street_office" / "街道办事处" / "street office" | "街道",
        /// Anywhere else.
        Other => "other" / "其他" / "other",
    }
);

vocabulary!(
    /// Where a consumer dispute stands.
    DisputeStatus, "dispute status" {
        /// Received.
        Received => "received" / "已受理" / "Received",
        /// Being mediated.
        Mediating => "mediating" / "调解中" / "Being mediated",
        /// Settled (money may have been recovered).
        Settled => "settled" / "已和解" / "Settled",
        /// Referred to another body.
        Referred => "referred" / "已移交" / "Referred",
        /// Closed without settlement.
        Closed => "closed" / "已结案" / "Closed",
    }
);

vocabulary!(
    /// What a user may do.
    Role, "role" {
        /// Plans everything in their organization.
        Organizer => "organizer" / "组织者" / "organizer",
        /// Logs the day at their venue(s).
        Lead => "lead" / "分会场负责人" / "venue lead",
        /// Reads only.
        Viewer => "viewer" / "观察员" / "viewer",
    }
);

vocabulary!(
    /// Where a venue's day is in its approval (as DHIS2's data approval): a lead submits it,
    /// an organizer accepts it (which locks the venue's figures) or reopens it.
    DayStatus, "day status" {
        /// Figures may still change.
        Open => "open" / "填报中" / "open",
        /// The lead has submitted the day; figures may still change until accepted.
        Submitted => "submitted" / "已提交" / "submitted",
        /// An organizer accepted the day; the venue's figures are locked.
        Accepted => "accepted" / "已审核" / "accepted",
    }
);

impl DayStatus {
    /// Whether the day may move from `self` to `next`: open -> submitted -> accepted, and an
    /// organizer may reopen a submitted or accepted day.
    #[must_use]
    pub fn can_move_to(self, next: DayStatus) -> bool {
        use DayStatus::*;
        matches!((self, next), (Open, Submitted) | (Submitted, Accepted) | (Submitted | Accepted, Open))
    }
}

vocabulary!(
    /// The language of a narrative section (and of the report).
    Lang, "language" {
        /// Chinese (the default).
        Zh => "zh" / "中文" / "Chinese" | "zh-cn" | "cn",
        /// English.
        En => "en" / "英文" / "English",
    }
);

#[expect(clippy::derivable_impls, reason = "the enum is declared by the vocabulary macro")]
impl Default for Lang {
    fn default() -> Self {
        Lang::Zh
    }
}

vocabulary!(
    /// Where a complaint case stands in its workflow (a case is a dispute with intake, receipt
    /// and later outcomes; see [`crate::cases`]).
    CaseStage, "case stage" {
        /// Received at the booth.
        Received => "received" / "已受理" / "Received",
        /// Being mediated by the association.
        Mediating => "mediating" / "调解中" / "Being mediated",
        /// Referred to the enterprise through the online dispute resolution (ODR) system.
        ReferredOdr => "referred_odr" / "已转ODR企业处理" / "Referred to ODR" | "odr",
        /// Referred to the 12315 platform (a case number is recorded).
        #[serde(rename = "referred_12315")]
        Referred12315 => "referred_12315" / "已转12315" / "Referred to 12315" | "12315",
        /// Settled (money may have been recovered).
        Settled => "settled" / "已和解" / "Settled",
        /// Closed without settlement.
        Closed => "closed" / "已结案" / "Closed",
    }
);

impl CaseStage {
    /// Whether a case may move from `self` to `next`: received -> mediating -> settled /
    /// referred to ODR / referred to 12315 / closed; an ODR case may still be settled, closed
    /// or sent on to 12315; a 12315 case may still be settled or closed. Settled and closed end
    /// a case.
    #[must_use]
    pub fn can_move_to(self, next: CaseStage) -> bool {
        use CaseStage::*;
        matches!(
            (self, next),
            (Received, Mediating | Settled | ReferredOdr | Referred12315 | Closed)
                | (Mediating, Settled | ReferredOdr | Referred12315 | Closed)
                | (ReferredOdr, Settled | Referred12315 | Closed)
                | (Referred12315, Settled | Closed)
        )
    }

    /// Whether this stage ends the case.
    #[must_use]
    pub fn is_final(self) -> bool {
        matches!(self, CaseStage::Settled | CaseStage::Closed)
    }

    /// The status the case's dispute row takes, for the day's statistics: an ODR case is still
    /// being worked on (the enterprise mediates it online), a 12315 case is referred to another
    /// body.
    #[must_use]
    pub fn dispute_status(self) -> DisputeStatus {
        match self {
            CaseStage::Received => DisputeStatus::Received,
            CaseStage::Mediating | CaseStage::ReferredOdr => DisputeStatus::Mediating,
            CaseStage::Referred12315 => DisputeStatus::Referred,
            CaseStage::Settled => DisputeStatus::Settled,
            CaseStage::Closed => DisputeStatus::Closed,
        }
    }
}

impl DisputeStatus {
    /// Whether a dispute may move from `self` to `next`
    /// (received -> mediating -> settled/referred/closed; received may also go straight to an end).
    #[must_use]
    pub fn can_move_to(self, next: DisputeStatus) -> bool {
        use DisputeStatus::*;
        matches!(
            (self, next),
            (Received, Mediating | Settled | Referred | Closed) | (Mediating, Settled | Referred | Closed)
        )
    }

    /// Whether this status ends the dispute.
    #[must_use]
    pub fn is_final(self) -> bool {
        matches!(self, DisputeStatus::Settled | DisputeStatus::Referred | DisputeStatus::Closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_submitted_then_accepted_and_only_reopened_after_submission() {
        use DayStatus::*;
        assert!(Open.can_move_to(Submitted) && Submitted.can_move_to(Accepted));
        assert!(Accepted.can_move_to(Open) && Submitted.can_move_to(Open));
        assert!(!Open.can_move_to(Accepted) && !Accepted.can_move_to(Submitted) && !Open.can_move_to(Open));
    }

    #[test]
    fn vocabulary_round_trips_through_text_and_json() {
        for kind in UnitKind::ALL {
            assert_eq!(kind.as_str().parse::<UnitKind>(), Ok(*kind));
            let json = serde_json::to_string(kind).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!("community_outreach".parse::<ActivityKind>(), Ok(ActivityKind::CommunityOutreach));
    }

    #[test]
    fn english_labels_read_as_plurals() {
        assert_eq!(UnitKind::Agency.plural_en(), "government agencies");
        assert_eq!(UnitKind::Community.plural_en(), "residents' communities");
        assert_eq!(UnitKind::Media.plural_en(), "media outlets");
        assert_eq!(UnitKind::Other.plural_en(), "other bodies");
        assert_eq!(UnitKind::Enterprise.plural_en(), "enterprises");
        assert_eq!(UnitKind::from_label("agency"), Some(UnitKind::Agency));
    }

    #[test]
    fn unknown_kind_names_the_accepted_values() {
        let err = "stadium".parse::<VenueKind>().err();
        let msg = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("main, sub"), "{msg}");
    }

    #[test]
    fn a_case_moves_forward_and_an_odr_case_can_still_settle() {
        use CaseStage::*;
        assert!(Received.can_move_to(ReferredOdr) && ReferredOdr.can_move_to(Settled));
        assert!(Referred12315.can_move_to(Closed) && !Referred12315.can_move_to(ReferredOdr));
        assert!(
            !Settled.can_move_to(Mediating)
                && !Closed.can_move_to(Settled)
                && !Received.can_move_to(Received)
        );
        assert_eq!(ReferredOdr.dispute_status(), DisputeStatus::Mediating);
        assert_eq!(Referred12315.dispute_status(), DisputeStatus::Referred);
    }

    #[test]
    fn dispute_moves_forward_only() {
        assert!(DisputeStatus::Received.can_move_to(DisputeStatus::Mediating));
        assert!(DisputeStatus::Mediating.can_move_to(DisputeStatus::Settled));
        assert!(!DisputeStatus::Settled.can_move_to(DisputeStatus::Mediating));
        assert!(!DisputeStatus::Closed.can_move_to(DisputeStatus::Received));
    }
}

vocabulary!(
    /// Where a campaign's submission (报送) to its parent organization stands.
    SubmissionStatus, "submission status" {
        /// Sent to the parent, waiting for its decision.
        Submitted => "submitted" / "已报送" / "submitted",
        /// Accepted by the parent: the campaign's figures are locked.
        Accepted => "accepted" / "已接收" / "accepted",
        /// Returned by the parent with a comment: the district works on and submits again.
        Returned => "returned" / "已退回" / "returned",
    }
);

vocabulary!(
    /// Where a preparation task stands.
    TaskStatus, "task status" {
        /// Not started.
        Open => "open" / "未开始" / "open" | "待办",
        /// Being worked on.
        InProgress => "in_progress" / "进行中" / "in progress",
        /// Done.
        Done => "done" / "已完成" / "done" | "完成",
        /// Dropped.
        Cancelled => "cancelled" / "已取消" / "cancelled" | "取消",
    }
);

vocabulary!(
    /// Who signs in on the day.
    ParticipantKind, "participant kind" {
        /// A participating unit.
        Unit => "unit" / "单位" / "unit",
        /// An official.
        Official => "official" / "领导" / "official",
        /// Staff.
        Staff => "staff" / "工作人员" / "staff",
    }
);

vocabulary!(
    /// How a check-in was taken.
    CheckInMethod, "check-in method" {
        /// The participant's QR code scanned by the lead's phone.
        Qr => "qr" / "扫码" / "QR code",
        /// Ticked on the list.
        List => "list" / "名单勾选" / "list",
        /// Entered afterwards from a paper sheet.
        Paper => "paper" / "纸质签到表" / "paper sheet",
    }
);
