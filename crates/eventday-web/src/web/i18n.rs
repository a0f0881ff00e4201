//! Page language (Chinese by default, English on request) and every page string in one table.

use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A page language: the domain's, so that pages, CSV and the report share one vocabulary.
pub use eventday_domain::Lang;

/// What pages need of a language besides the domain's labels.
pub trait PageLang: Sized {
    /// `zh` or `en`.
    fn code(self) -> &'static str;
    /// The other language (for the switch link).
    fn other(self) -> Self;
    /// This language's strings, key -> text.
    fn table(self) -> &'static BTreeMap<&'static str, &'static str>;
    /// One string (the key itself when missing, so a gap shows instead of vanishing).
    fn t(self, key: &'static str) -> &'static str;
}

fn parse_lang(s: &str) -> Option<Lang> {
    Lang::from_label(s)
}

impl PageLang for Lang {
    fn code(self) -> &'static str {
        self.as_str()
    }

    fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    fn table(self) -> &'static BTreeMap<&'static str, &'static str> {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    fn t(self, key: &'static str) -> &'static str {
        self.table().get(key).copied().unwrap_or(key)
    }
}

fn query_lang(parts: &Parts) -> Option<Lang> {
    parts.uri.query()?.split('&').find_map(|kv| kv.strip_prefix("lang=")).and_then(parse_lang)
}

fn cookie_lang(parts: &Parts) -> Option<Lang> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("lang="))
        .and_then(parse_lang)
}

/// The page language a request asks for: `?lang=`, else the `lang` cookie, else Chinese.
#[must_use]
pub fn request_lang(parts: &Parts) -> Lang {
    query_lang(parts).or_else(|| cookie_lang(parts)).unwrap_or(Lang::Zh)
}

/// Middleware for pages: `?lang=xx` also sets the `lang` cookie, so the choice sticks.
pub async fn remember_lang(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let (parts, body) = req.into_parts();
    let chosen = query_lang(&parts);
    let mut resp = next.run(axum::extract::Request::from_parts(parts, body)).await;
    if let Some(lang) = chosen
        && let Ok(v) =
            HeaderValue::from_str(&format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code()))
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

/// Formats a count with thousands separators (both languages group by three with commas).
#[must_use]
pub fn format_count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Formats a date the way each language writes it: `2013年3月15日` or `15 Mar 2013`.
#[must_use]
pub fn format_date(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.format("%-d %b %Y").to_string(),
    }
}

static ZH: LazyLock<BTreeMap<&'static str, &'static str>> =
    LazyLock::new(|| STRINGS.iter().map(|(k, zh, _)| (*k, *zh)).collect());
static EN: LazyLock<BTreeMap<&'static str, &'static str>> =
    LazyLock::new(|| STRINGS.iter().map(|(k, _, en)| (*k, *en)).collect());

/// key, Chinese, English.
const STRINGS: &[(&str, &str, &str)] = &[
    ("app_name", "“3·15”活动", "“3·15” campaign"),
    ("skip_to_content", "跳到正文", "Skip to content"),
    // Punctuation between a label and its value.
    ("colon", "：", ": "),
    ("error_code", "错误代码", "Error code"),
    ("clause_sep", "；", "; "),
    ("nav_label", "活动导航", "Campaign navigation"),
    ("switch_lang", "English", "中文"),
    ("sign_in", "登录", "Sign in"),
    ("sign_out", "退出", "Sign out"),
    ("nav_dashboard", "总览", "Dashboard"),
    ("io_title", "导入与导出", "Import and export"),
    ("io_export_csv", "导出 CSV", "Export CSV"),
    ("io_export_xlsx", "导出 Excel", "Export Excel"),
    ("io_template", "空白模板", "Blank template"),
    ("io_export_venue_csv", "导出本会场 CSV", "Export this venue (CSV)"),
    ("io_export_venue_xlsx", "导出本会场 Excel", "Export this venue (Excel)"),
    ("io_export_all_csv", "导出全部会场 CSV", "Export all venues (CSV)"),
    ("io_export_all_xlsx", "导出全部会场 Excel", "Export all venues (Excel)"),
    (
        "io_booths_note",
        "文件中每一行按“会场”列放入对应会场；本页只画本会场的展位。",
        "Each row of a file goes to the venue its “venue” column names; this page draws this venue's booths.",
    ),
    ("io_kind", "文件内容", "The file holds"),
    ("io_choose_file", "选择 CSV 或 Excel 文件", "Choose a CSV or Excel file"),
    ("io_check", "检查文件", "Check the file"),
    ("io_checking", "正在检查……", "Checking…"),
    ("io_confirm", "确认导入", "Confirm the import"),
    ("io_no_file", "请先选择一个文件。", "Choose a file first."),
    (
        "io_refused",
        "文件中有 {n} 处问题，没有导入任何内容：",
        "{n} problems in the file; nothing was imported:",
    ),
    (
        "io_checked",
        "检查通过：将新增 {created} 条，修改 {updated} 条，{unchanged} 条不变。确认后才会导入。",
        "Checked: {created} to add, {updated} to change, {unchanged} unchanged. Nothing is imported until you confirm.",
    ),
    (
        "io_imported",
        "已导入：新增 {created} 条，修改 {updated} 条，{unchanged} 条不变。",
        "Imported: {created} added, {updated} changed, {unchanged} unchanged.",
    ),
    (
        "io_nothing",
        "文件与现有数据相同（{unchanged} 条不变），无需导入。",
        "The file matches what is stored ({unchanged} unchanged); there is nothing to import.",
    ),
    ("io_line", "第 {line} 行", "Line {line}"),
    ("io_cell", "单元格 {cell}", "Cell {cell}"),
    ("io_column", "“{column}”列", "column “{column}”"),
    ("io_kind_venues", "会场", "Venues"),
    ("io_kind_units", "参与单位", "Units"),
    ("io_kind_booths", "展位", "Booths"),
    ("io_kind_activities", "活动安排", "Activities"),
    ("io_kind_materials", "物资目录", "Material catalogue"),
    ("io_kind_allocations", "物资分配", "Allocations"),
    ("io_kind_media", "媒体报道", "Media coverage"),
    ("io_kind_officials", "出席领导", "Officials"),
    ("io_kind_disputes", "消费纠纷", "Disputes"),
    ("io_kind_tasks", "工作分工", "Tasks"),
    ("io_kind_tallies", "收尾统计", "Closing tallies"),
    ("nav_venues", "会场", "Venues"),
    ("nav_units", "参与单位", "Units"),
    ("nav_materials", "物资分配", "Materials"),
    ("nav_media", "媒体报道", "Media"),
    ("nav_officials", "出席领导", "Officials"),
    ("name_withheld", "（姓名不公开）", "(name withheld)"),
    ("nav_disputes", "投诉纠纷", "Disputes"),
    ("nav_tallies", "收尾统计", "Closing tallies"),
    ("whole_venue", "整个会场", "Whole venue"),
    ("nav_activities", "活动安排", "Activities"),
    ("add_activity", "添加活动", "Add an activity"),
    ("activity_title", "活动名称", "Activity"),
    ("place", "地点", "Place"),
    ("participants", "参与人数", "Participants"),
    ("starts_at", "开始时间", "Starts"),
    ("ends_at", "结束时间", "Ends"),
    ("time", "时间", "Time"),
    ("material_name", "物资名称", "Item"),
    ("stock", "库存", "In stock"),
    ("add_material", "添加物资", "Add an item"),
    ("material_items", "物资清单", "Items"),
    ("allocation_grid", "各会场分配", "Allocation to venues"),
    ("name_en", "英文名称（可选）", "English name (optional)"),
    ("not_placed", "未摆放", "not placed yet"),
    ("booths", "展位", "Booths"),
    ("place_booth", "摆放到空位", "Place on the plan"),
    ("no_plan_short", "尚无平面图", "no floor plan yet"),
    (
        "no_plan_yet",
        "这个会场还没有平面图。在会场页填写场地的长和宽后，就可以在这里摆放展位。",
        "This venue has no floor plan yet. Give the site's width and depth on the venues page, then place the booths here.",
    ),
    ("add_tally", "添加收尾统计", "Add a closing tally"),
    ("tally_scope", "统计范围", "Counted for"),
    (
        "no_tallies",
        "还没有收尾统计：总数按现场记录计算。",
        "No closing tallies yet: the totals come from the day's log.",
    ),
    (
        "tally_rule",
        "收尾统计是闭馆时清点的数字：展位的统计代替该展位现场记录的数字，整个会场的统计代替该会场的全部数字，不会重复计算。",
        "A closing tally is the count taken at closing time: a booth's tally replaces the figures logged at that booth, and a whole venue's tally replaces all of the venue's figures, so nothing is counted twice.",
    ),
    ("nav_report", "总结报告", "Report"),
    ("nav_lead", "会场记录", "Venue log"),
    ("campaigns", "活动", "Campaigns"),
    (
        "no_campaigns",
        "还没有活动。运行 eventday demo 载入 2013 年示例。",
        "No campaigns yet. Run eventday demo to load the 2013 example.",
    ),
    ("open_dashboard", "打开总览", "Open dashboard"),
    ("lead_pages", "会场负责人记录页", "Logging pages for venue leads"),
    ("theme", "主题", "Theme"),
    ("date", "日期", "Date"),
    ("visitors", "接待群众", "Visitors"),
    ("consultations", "咨询", "Consultations"),
    ("complaints_received", "受理投诉", "Complaints received"),
    ("complaints_settled", "现场解决", "Settled on site"),
    ("money_recovered", "挽回经济损失（元）", "Money recovered (yuan)"),
    ("log_entries", "记录条数", "Log entries"),
    ("units_count", "参与单位", "Units taking part"),
    ("booths_count", "展位", "Booths"),
    ("venue", "会场", "Venue"),
    ("status", "状态", "Status"),
    ("last_entry", "最后记录", "Last entry"),
    ("status_not_started", "未开始", "Not started"),
    ("status_active", "进行中", "Active"),
    ("status_quiet", "30 分钟无记录", "Quiet for 30 min"),
    ("status_closed", "已结束", "Closed"),
    ("status_submitted", "已提交", "Submitted"),
    ("status_accepted", "已审核", "Accepted"),
    ("completeness", "各会场进度", "Where the venues are"),
    ("close_day", "当日填报", "The day"),
    ("submit_day", "提交", "Submit"),
    ("accept_day", "审核通过", "Accept"),
    ("reopen_day", "退回重填", "Reopen"),
    ("accept_all_submitted", "全部审核通过", "Accept all submitted"),
    ("reopen_reason", "退回原因", "Reason for reopening"),
    (
        "reopen_reason_required",
        "请写明退回原因，会场负责人会看到。",
        "Say why: the venue's lead will read it.",
    ),
    (
        "confirm_reopen",
        "退回后该会场可继续修改数据。确定退回吗？",
        "Reopening lets the venue change its figures again. Reopen it?",
    ),
    ("day_moved", "已更新会场状态", "The venue's day was updated"),
    ("day_move_failed", "未能更新会场状态", "The venue's day could not be updated"),
    ("live_connecting", "正在连接实时更新…", "Connecting to live updates…"),
    ("live_on", "实时更新已连接", "Live updates connected"),
    (
        "live_lost",
        "实时更新已断开，正在重连；数据每 5 秒刷新一次",
        "Live updates lost, reconnecting; figures refresh every 5 seconds",
    ),
    ("live_note", "自动更新", "Updates by itself"),
    ("updated_at", "更新于", "Updated at"),
    ("kind", "类型", "Kind"),
    ("kind_main", "主会场", "Main venue"),
    ("kind_sub", "分会场", "Sub-venue"),
    ("host_unit", "承办单位", "Host unit"),
    ("address", "地址", "Address"),
    ("lead_name", "负责人", "Lead"),
    ("size", "场地（米）", "Size (m)"),
    ("hours", "时间", "Hours"),
    ("floor_plan", "平面图", "Floor plan"),
    ("print_view", "打印", "Print"),
    ("log_page", "记录页", "Log page"),
    ("unit", "单位", "Unit"),
    ("roles", "角色", "Roles"),
    ("role_staffs_booth", "设展位", "Staffs a booth"),
    ("role_reconciliation", "和解成员", "Reconciliation member"),
    ("role_media", "媒体", "Media"),
    ("role_sponsor", "赞助", "Sponsor"),
    ("material", "物资", "Material"),
    ("planned", "计划", "Planned"),
    ("allocated", "已分配", "Allocated"),
    ("handed_out", "已发放", "Handed out"),
    ("total", "合计", "Total"),
    ("charts", "图表", "Charts"),
    ("figure", "指标", "Figure"),
    ("chart_hours", "各会场每小时到场人数", "Visitors per venue and hour"),
    ("chart_peak", "高峰", "peak"),
    ("chart_empty", "暂无数据", "Nothing logged yet"),
    ("chart_complaints", "投诉受理与当场解决", "Complaints received and settled"),
    ("chart_materials", "宣传品发放与分配", "Materials handed out and allocated"),
    ("over_allocated", "超出计划", "Over plan"),
    ("saved", "已保存", "Saved"),
    ("save_failed", "保存失败", "Could not save"),
    ("outlet", "媒体", "Outlet"),
    ("channel", "渠道", "Channel"),
    ("format", "形式", "Format"),
    ("headline", "标题", "Headline"),
    ("reach", "估计受众", "Estimated reach"),
    ("name", "姓名", "Name"),
    ("title_col", "职务", "Title"),
    ("organization", "单位", "Organization"),
    ("role", "角色", "Role"),
    ("category", "类别", "Category"),
    ("enterprise", "被投诉企业", "Enterprise"),
    ("amount_claimed", "涉及金额（元）", "Claimed (yuan)"),
    ("amount_recovered", "挽回（元）", "Recovered (yuan)"),
    ("received_on", "受理日期", "Received on"),
    ("summary", "摘要", "Summary"),
    ("nothing_yet", "暂无", "None yet"),
    ("report_title", "总结报告", "Summary report"),
    ("narrative", "报告文字", "Narrative sections"),
    ("heading", "标题", "Heading"),
    ("body", "正文", "Text"),
    ("next_steps", "下一步工作", "Next steps"),
    ("save", "保存", "Save"),
    ("add_section", "添加段落", "Add a section"),
    ("key", "标识", "Key"),
    ("narrative_in_zh", "中文报告文字", "Chinese text"),
    ("narrative_in_en", "英文报告文字", "English text"),
    ("goes_in", "位于报告：", "Goes in: "),
    ("goes_in_label", "放在报告的", "Goes in"),
    ("part_opening", "开头（活动目的）", "the opening (purpose)"),
    ("part_organization", "主要做法（组织与开展）", "what was done (organization)"),
    ("part_results", "活动成效", "the results"),
    ("part_highlights", "亮点与特色", "highlights"),
    ("part_problems", "存在的问题", "problems found"),
    ("part_next_steps", "下一步工作", "next steps"),
    ("report_lang", "报告语言", "Report language"),
    ("report_style", "版式", "Layout"),
    ("style_modern", "现代", "Modern"),
    ("style_gbt9704", "公文（GB/T 9704）", "Official document (GB/T 9704)"),
    ("lang_zh", "中文", "Chinese"),
    ("lang_en", "英文", "English"),
    ("download_pdf", "下载 PDF", "Download PDF"),
    ("download_report", "下载报告", "Download the report"),
    ("download_word", "下载 Word", "Download Word"),
    ("report_settings", "报告设置", "Report settings"),
    ("rs_title", "标题", "Title"),
    ("rs_subtitle", "副标题（可选）", "Subtitle (optional)"),
    ("rs_issuer", "发文单位（落款）", "Issuing body (signature)"),
    ("rs_date", "成文日期", "Report date"),
    ("rs_addressee", "主送（可选）", "Addressed to (optional)"),
    ("rs_copy_to", "抄送（可选）", "Copy to (optional)"),
    ("rs_default", "留空即为", "Left empty:"),
    ("rs_none", "不印此行", "no line"),
    (
        "no_en_narrative",
        "还没有英文的报告文字：英文版 PDF 不含文字部分，只在开头注明报告文字只有中文稿。",
        "There is no English narrative yet: the English PDF leaves the narrative sections out and states that the narrative is written in Chinese only.",
    ),
    (
        "no_zh_narrative",
        "还没有中文的报告文字：中文版 PDF 不含文字部分，只在开头注明报告文字只有英文稿。",
        "There is no Chinese narrative yet: the Chinese PDF leaves the narrative sections out and states that the narrative is written in English only.",
    ),
    ("planner_title", "平面图", "Floor plan"),
    (
        "planner_help",
        "拖动展位移动，拖动右下角改变大小。键盘：Tab 选中展位，方向键移动 0.5 米，Shift+方向键改变大小，R 旋转 15°。",
        "Drag a booth to move it, drag its lower-right corner to resize. Keyboard: Tab to a booth, arrow keys move by 0.5 m, Shift+arrows resize, R rotates by 15°.",
    ),
    ("booth", "展位", "Booth"),
    ("topic", "主题", "Topic"),
    ("staffing", "设展单位", "Staffed by"),
    ("x_m", "X（米）", "X (m)"),
    ("y_m", "Y（米）", "Y (m)"),
    ("w_m", "宽（米）", "Width (m)"),
    ("h_m", "深（米）", "Depth (m)"),
    ("rotation", "旋转（度）", "Rotation (°)"),
    ("rotate", "旋转 15°", "Rotate 15°"),
    ("overlaps", "与展位重叠：", "Overlaps booth: "),
    ("outside", "超出会场范围", "Outside the venue"),
    ("refused", "服务器拒绝：", "Refused by the server: "),
    ("no_booths", "这个会场还没有展位。", "This venue has no booths yet."),
    ("overlaps_n", "与展位{n}重叠", "Overlaps booth {n}"),
    ("not_saved", "未保存：", "Not saved: "),
    ("booth_n", "展位{n}", "Booth {n}"),
    ("new_booth", "新展位", "New booth"),
    ("add_booth", "添加展位", "Add a booth"),
    ("delete_booth", "删除展位", "Delete the booth"),
    ("confirm_delete_booth", "确定删除这个展位吗？", "Delete this booth?"),
    ("booth_kind", "展位类型", "Kind of booth"),
    (
        "no_room",
        "会场里没有空位放新展位，请先腾出空间或扩大会场。",
        "There is no free space for a new booth; make room or enlarge the venue.",
    ),
    ("draw_help", "在空白处拖动可画出新展位。", "Drag on an empty part of the plan to draw a new booth."),
    ("booth_details", "展位信息", "Booth details"),
    ("filter_units", "筛选单位", "Filter units"),
    ("filter_rows", "筛选", "Filter"),
    ("rows_shown", "显示 {n} / {m} 行", "{n} of {m} rows shown"),
    ("table_scrolls", "可左右滚动", "scrolls sideways"),
    ("add_venue", "添加会场", "Add a venue"),
    ("width_m", "宽（米）", "Width (m)"),
    ("depth_m", "深（米）", "Depth (m)"),
    ("opens_at", "开始时间", "Opens at"),
    ("closes_at", "结束时间", "Closes at"),
    ("position", "排序", "Order"),
    ("must_be_whole", "应填 0 或正整数", "must be a whole number, 0 or more"),
    (
        "confirm_delete_venues",
        "删除会场会同时删除它的展位、活动、物资分配和全部记录。确定删除吗？",
        "Deleting a venue also deletes its booths, activities, allocations and every log entry. Delete it?",
    ),
    ("required", "必填", "is required"),
    ("must_be_number", "应填数字", "must be a number"),
    ("invalid_value", "填写的值无效", "is not a valid value"),
    (
        "error_bad_request",
        "填写的内容无法读取，请检查后再试。",
        "What was entered could not be read; please check it and try again.",
    ),
    (
        "error_in_use",
        "还有其他记录用到它（如展位、记录或物资分配），不能删除。",
        "Other records still use it (booths, log entries or allocations), so it cannot be deleted.",
    ),
    ("error_too_large", "内容太大。", "That is too large."),
    ("error_busy", "请求太频繁，请稍后再试。", "Too many requests; please wait a moment."),
    ("scale", "比例：每格 1 米", "Scale: one square = 1 m"),
    ("lead_title", "会场记录", "Venue log"),
    ("choose_venue", "选择会场", "Choose a venue"),
    ("pending", "待发送", "Pending"),
    ("sent", "已发送", "Sent"),
    ("rejected", "被拒绝", "Refused"),
    ("online", "在线", "Online"),
    ("offline", "离线", "Offline"),
    ("author", "记录人", "Your name"),
    ("note", "备注", "Note"),
    ("photo", "照片", "Photo"),
    ("materials_out", "发放物资", "Materials handed out"),
    ("record", "记录", "Record"),
    ("send_now", "立即发送", "Send now"),
    (
        "queued",
        "已保存在本机，联网后自动发送",
        "Saved on this phone; it will be sent when there is a connection",
    ),
    ("recent", "最近记录", "Recent entries"),
    ("decrease", "减少", "Decrease"),
    ("increase", "增加", "Increase"),
    (
        "not_event_day",
        "今天不是活动日，记录时间按活动日计。",
        "Today is not the campaign day; entries are stamped on the campaign day.",
    ),
    // The lead's phone: checks before queueing, queue states, corrections, the day's state.
    ("v_required", "必填", "Required"),
    ("v_whole", "请填写 0 到 {max} 之间的整数", "Enter a whole number from 0 to {max}"),
    ("v_settled", "不能超过受理投诉数", "Must not exceed the complaints received"),
    ("v_time", "必须在活动当天之内", "Must be within the campaign day"),
    ("v_material", "本次活动没有这种物资", "No such material in this campaign"),
    ("v_too_long", "最多 {max} 个字符", "At most {max} characters"),
    (
        "v_fix",
        "请修改标出的项目；这条记录还没有保存。",
        "Fix the marked fields; this entry is not saved yet.",
    ),
    ("st_queued", "待发送", "Queued"),
    ("st_sending", "发送中", "Sending"),
    ("st_sent", "已保存到服务器", "Stored"),
    ("st_rejected", "被拒绝", "Refused"),
    ("stored_now", "已保存到服务器", "Stored on the server"),
    ("edit_resend", "修改后重发", "Edit and resend"),
    (
        "editing_refused",
        "正在修改被拒绝的记录，改好后点“记录”重新发送。",
        "Editing a refused entry: press Record to send it again.",
    ),
    ("correct", "更正", "Correct"),
    ("void", "作废", "Void"),
    ("reason", "更正原因", "Reason for the correction"),
    (
        "correcting",
        "正在更正这条记录：填写正确的数字和原因后点“记录”。",
        "Correcting this entry: enter the right figures and a reason, then press Record.",
    ),
    (
        "voiding",
        "作废这条记录：填写原因后点“记录”。",
        "Voiding this entry: give a reason, then press Record.",
    ),
    ("corrected_by", "已更正", "corrected"),
    ("voided", "已作废", "voided"),
    ("correction_of", "更正", "correction"),
    ("cancel_edit", "取消修改", "Cancel"),
    ("day_state", "当天状态", "Day"),
    (
        "day_not_started",
        "活动尚未开始。现在记录的时间按活动当天计。",
        "The campaign day has not started; entries are stamped on the campaign day.",
    ),
    (
        "day_open",
        "填报中：记录会随时发送。当天结束后由组织者审核。",
        "Open: entries are sent as you go. The organizer checks the day when it ends.",
    ),
    (
        "day_submitted",
        "已提交，等待组织者审核；发现错误仍可更正。",
        "Submitted, waiting for the organizer; mistakes can still be corrected.",
    ),
    (
        "day_accepted",
        "已审核锁定：不能再记录或更正。如需修改，请联系组织者重新开放当天。",
        "Accepted and locked: no more entries or corrections. Ask the organizer to reopen the day to change anything.",
    ),
    (
        "refused_corrected",
        "这条记录已被更正过，请更正最新的那条。",
        "This entry was corrected already; correct the latest one.",
    ),
    ("refused_conflict", "同一编号已有内容不同的记录。", "An entry with this id and other content exists."),
    ("refused_not_found", "会场不存在或已删除。", "The venue does not exist any more."),
    (
        "session_ended",
        "登录已失效，记录仍保存在本机。请重新登录，登录后自动发送。",
        "Your session has ended; entries stay on this phone. Sign in again and they are sent.",
    ),
    ("signin_again", "重新登录", "Sign in again"),
    ("totals_so_far", "本会场累计", "Venue totals so far"),
    ("photos_hint", "可选多张，上传前自动压缩", "Several allowed; shrunk on the phone before upload"),
    ("photo_too_big", "照片无法压缩到 1 MB 以内", "The photo cannot be shrunk below 1 MB"),
    ("remove", "移除", "Remove"),
    ("login", "账号", "Login"),
    ("invite_title", "会场负责人邀请", "Invitation to lead a venue"),
    (
        "invite_intro",
        "您受邀担任“{venue}”的会场负责人。请设置登录账号和密码，完成后直接进入该会场的记录页。",
        "You are invited to lead “{venue}”. Choose a login and a password; you then go straight to the venue's logging page.",
    ),
    (
        "invite_login_hint",
        "2 至 100 个字符：字母、数字和 . _ - @",
        "2 to 100 characters: letters, digits and . _ - @",
    ),
    ("invite_name", "姓名（可选）", "Name (optional)"),
    ("invite_password_hint", "至少 {n} 个字符", "At least {n} characters"),
    ("invite_submit", "设置密码并进入", "Set the password and start"),
    (
        "invite_unknown",
        "此邀请链接无效，请向组织者索取新的链接。",
        "This invitation link is not valid; ask the organizer for a new one.",
    ),
    (
        "invite_expired",
        "此邀请链接已过期，请联系组织者重新生成。",
        "This invitation has expired; ask the organizer for a new one.",
    ),
    (
        "invite_used",
        "此邀请链接已使用过，请直接登录。",
        "This invitation has already been used; sign in instead.",
    ),
    (
        "invite_revoked",
        "此邀请链接已被组织者撤销，请向组织者索取新的链接。",
        "The organizer took this invitation back; ask them for a new one.",
    ),
    ("inv_revoke", "撤销", "Revoke"),
    ("inv_revoked", "已撤销", "Revoked"),
    ("inv_has_lead", "已有负责人", "Has a lead"),
    (
        "inv_skipped",
        "已跳过已有负责人或有待接受邀请的会场",
        "Skipped venues that have a lead or an invitation waiting",
    ),
    (
        "inv_none_to_make",
        "每个会场都已有负责人或待接受的邀请。",
        "Every venue has a lead or an invitation waiting.",
    ),
    ("invite_fill", "请填写登录账号和密码。", "Fill in a login and a password."),
    ("invite_login_taken", "这个登录账号已被使用，请换一个。", "This login is taken; choose another."),
    (
        "invite_login_bad",
        "登录账号须为 2 至 100 个字符，只能包含字母、数字和 . _ - @。",
        "The login must be 2 to 100 characters: letters, digits and . _ - @ only.",
    ),
    ("invite_password_short", "密码至少 {n} 个字符。", "The password must be at least {n} characters."),
    ("invite_password_long", "密码太长。", "The password is too long."),
    (
        "invite_name_bad",
        "姓名太长或含有不允许的字符。",
        "The name is too long or has characters that are not allowed.",
    ),
    ("invite_done", "账号“{login}”已创建，请登录。", "Your account “{login}” is ready; sign in."),
    ("password", "密码", "Password"),
    ("signin_unavailable", "此服务器尚未启用登录。", "Sign-in is not enabled on this server yet."),
    ("signin_failed", "账号或密码不正确。", "Wrong login or password."),
    ("signin_error", "登录失败，请稍后再试。", "Sign-in failed; try again later."),
    ("signed_in_as", "已登录：", "Signed in as "),
    ("error_title", "出错了", "Something went wrong"),
    ("error_not_found", "找不到这个页面或记录。", "This page or record does not exist."),
    ("error_forbidden", "您的账号无权查看此页面。", "Your account may not see this page."),
    ("error_other", "请求无法完成。", "The request could not be completed."),
    ("back_home", "返回首页", "Back to the start page"),
    ("network_error", "网络不通", "No connection"),
    ("actions", "操作", "Actions"),
    ("edit", "编辑", "Edit"),
    ("edit_row", "修改", "Change"),
    ("delete", "删除", "Delete"),
    ("cancel", "取消", "Cancel"),
    ("choose", "请选择", "Choose"),
    ("deleted", "已删除", "Deleted"),
    ("delete_failed", "删除失败", "Could not delete"),
    ("confirm_delete", "确定删除这一行吗？", "Delete this row?"),
    ("fix_fields", "请修改标出的项目。", "please correct the marked fields."),
    ("add_media", "添加媒体报道", "Add coverage"),
    ("add_official", "添加出席领导", "Add an official"),
    ("add_dispute", "登记投诉纠纷", "Record a dispute"),
    ("add_participation", "添加参与单位", "Add a unit taking part"),
    ("add_unit", "新建单位（单位名录）", "New unit (directory)"),
    ("unit_name", "单位名称", "Unit name"),
    ("unit_kind", "单位类型", "Kind of unit"),
    ("contact", "联系方式", "Contact"),
    ("link", "链接", "Link"),
    ("venues_covered", "报道的会场", "Venues covered"),
    ("masked", "报告中隐去姓名", "Mask the name in the report"),
    ("new_status", "新状态", "New status"),
    ("change_status", "更改状态", "Change status"),
    ("nav_invitations", "负责人邀请", "Lead invitations"),
    (
        "inv_help",
        "为会场负责人生成一次性邀请链接：打印带二维码的邀请卡交给负责人，扫码后自行设置账号和密码。",
        "Make a one-time invitation link for a venue's lead: print the card with its QR code and hand it over; scanning it lets the lead choose a login and a password.",
    ),
    ("inv_valid_for", "有效期", "Valid for"),
    ("inv_1d", "1 天", "1 day"),
    ("inv_3d", "3 天", "3 days"),
    ("inv_7d", "7 天", "7 days"),
    ("inv_30d", "30 天", "30 days"),
    ("inv_all", "为所有会场生成邀请", "Invite leads for all venues"),
    ("inv_create", "生成邀请", "Create invitation"),
    ("inv_print", "打印邀请卡", "Print the cards"),
    ("inv_so_far", "已有邀请", "Invitations so far"),
    ("inv_unused", "未使用", "Unused"),
    ("inv_used", "已使用", "Used"),
    ("inv_expired", "已过期", "Expired"),
    ("inv_until", "有效至", "Valid until"),
    ("inv_cards", "邀请卡", "Invitation cards"),
    (
        "inv_once",
        "链接只在此时显示一次，离开页面前请打印或保存。",
        "Each link is shown only this once: print or save the cards before leaving the page.",
    ),
    (
        "inv_scan",
        "用手机扫描二维码，设置登录名和密码后即可填报本会场的数据。",
        "Scan the code with a phone and choose a login and a password to log this venue's day.",
    ),
    ("inv_qr_alt", "邀请二维码", "Invitation QR code"),
    ("inv_made", "已生成邀请", "Invitations made"),
    // Before the day: checklist, clone, messages, sign-in.
    ("readiness", "筹备进度", "Readiness"),
    ("tasks_done", "已完成", "done"),
    ("overdue_tasks", "已逾期事项", "Overdue tasks"),
    ("task_due", "完成时限", "Due"),
    ("units_arrived", "到场单位", "Units arrived"),
    ("nav_tasks", "工作分工", "Checklist"),
    ("task_table", "工作分工表", "Task table"),
    ("nav_clone", "沿用上届", "New from this one"),
    ("nav_messages", "通知会场", "Messages"),
    ("messages_sent", "已发通知", "Messages sent"),
    ("nav_check_in", "签到", "Sign-in"),
    ("add_default_tasks", "添加默认筹备事项", "Add the default checklist"),
    ("add_task", "添加事项", "Add task"),
    ("task_phase", "阶段", "Phase"),
    ("task_title", "事项", "Task"),
    ("task_unit", "责任单位", "Responsible unit"),
    ("task_person", "责任人", "Responsible person"),
    ("task_status", "状态", "Status"),
    ("task_evidence", "佐证材料", "Evidence"),
    ("task_open", "未开始", "open"),
    ("task_in_progress", "进行中", "in progress"),
    ("task_done", "已完成", "done"),
    ("task_cancelled", "已取消", "cancelled"),
    ("notes", "备注", "Notes"),
    (
        "clone_intro",
        "以本次活动为基础新建一届活动：选择要沿用的内容。",
        "Start a new campaign from this one: choose what to copy.",
    ),
    ("clone_date", "新活动日期", "New event day"),
    ("clone_parts", "沿用内容", "What to copy"),
    ("clone_venues", "会场（含平面图和展位）", "Venues (with floor plans and booths)"),
    ("clone_units", "参与单位和媒体（待确认）", "Units and media outlets (to confirm)"),
    ("clone_activities", "活动安排（日期顺延）", "Activities (dates moved)"),
    ("clone_materials", "物资及分配（作为基数）", "Materials and allocations (as a baseline)"),
    ("clone_checklist", "筹备事项（时限顺延）", "Checklist (due dates moved)"),
    ("clone_narrative", "总结提纲（不含正文）", "Report headings (without text)"),
    (
        "clone_never",
        "不会复制：数字、现场记录、统计、照片、纠纷、签到和邀请。",
        "Never copied: figures, log entries, tallies, photos, disputes, check-ins and invitations.",
    ),
    ("clone_submit", "新建活动", "Create the campaign"),
    ("clone_done", "已新建：", "Created:"),
    ("saving", "正在保存…", "Saving…"),
    ("organizers_only", "仅组织方可操作。", "Organizers only."),
    ("message_body", "通知内容", "Message"),
    ("message_to", "发送给", "To"),
    ("all_venues", "全部会场", "All venues"),
    ("message_send", "发送", "Send"),
    ("message_sent_at", "发送时间", "Sent"),
    ("message_read", "已读", "Read"),
    ("messages_for_you", "组织方通知", "Messages from the organizers"),
    ("no_messages", "暂无通知", "No messages"),
    ("mark_read", "已读", "Mark read"),
    ("venue_tasks", "本会场筹备事项", "This venue's tasks"),
    ("add_evidence", "上传佐证（照片或PDF）", "Attach evidence (photo or PDF)"),
    ("to_confirm", "待确认", "to confirm"),
    ("staff_check_in", "工作人员签到：姓名", "Staff sign-in: name"),
    ("confirm_participation", "确认参加", "Confirm"),
    ("campaign_tasks", "全局筹备事项（仅查看）", "Campaign-wide tasks (read only)"),
    ("overdue", "已逾期", "overdue"),
    (
        "task_status_queued",
        "网络不通，状态已保存在手机上，恢复后自动发送",
        "Offline: the status is kept on the phone and sent when back online",
    ),
    ("check_in_cards", "签到二维码", "Sign-in QR codes"),
    (
        "check_in_cards_hint",
        "会场负责人用手机相机扫码即可签到。",
        "The venue lead scans a code with the phone camera to sign the participant in.",
    ),
    ("sign_in_form", "签到表", "Sign-in sheet"),
    ("signature", "签名", "Signature"),
    ("checked_in", "已签到", "Signed in"),
    ("already_checked_in", "此前已签到", "Already signed in"),
    ("check_in_queued", "网络不通，已保存，恢复后自动发送", "Offline: saved, will be sent when back online"),
    ("check_in_title", "签到", "Sign in"),
    ("check_in_list", "单位签到名单", "Units to sign in"),
    (
        "check_in_list_hint",
        "单位到场时点“签到”；纸质签到表也可事后在此补录。",
        "Tick a unit when it arrives; paper sheets can be entered here afterwards.",
    ),
    ("check_in_confirm", "确认签到", "Confirm sign-in"),
    ("back_to_log", "返回会场记录页", "Back to the venue page"),
    ("no_venue_here", "您在本次活动中没有负责的会场。", "You have no venue in this campaign."),
    // Reporting up the hierarchy (submission panel and roll-up page).
    ("submission_panel", "向上级报送", "Report to the parent organization"),
    ("sub_none", "未报送", "Not submitted"),
    ("sub_submitted", "已报送，待上级审核", "Submitted, waiting for the parent"),
    ("sub_accepted", "上级已采纳", "Accepted by the parent"),
    ("sub_returned", "已退回，请修改后重新报送", "Returned: correct it and submit again"),
    ("return_comment", "退回意见", "Why it was returned"),
    ("submission_note", "报送说明（可选）", "Note to the parent (optional)"),
    ("submit_up", "报送", "Submit"),
    ("submitted_ok", "已报送", "Submitted"),
    ("reports_to", "报送至", "Reports to"),
    ("rollup_title", "报送汇总", "Reporting and roll-up"),
    ("nav_rollup", "报送汇总", "Reporting"),
    ("rep_not_started", "未开始", "Not started"),
    ("rep_logging", "录入中", "Logging"),
    ("rep_day_closed", "活动已结束", "Day closed"),
    ("rep_submitted", "已报送", "Submitted"),
    ("rep_accepted", "已采纳", "Accepted"),
    ("rep_returned", "已退回", "Returned"),
    ("year", "年度", "Year"),
    ("basis", "汇总口径", "Basis"),
    ("basis_accepted", "仅已采纳的报送", "Accepted submissions only"),
    ("basis_logged", "已录入的全部数据", "Everything logged so far"),
    ("show", "查看", "Show"),
    ("districts", "区县数", "Districts"),
    ("submitted_report", "报送的报告", "Submitted report"),
    ("download_rollup", "下载汇总报告（PDF）", "Download the roll-up (PDF)"),
    ("accept_submission", "采纳", "Accept"),
    ("return_submission", "退回", "Return"),
    ("return_to", "退回给", "Return to"),
    ("return_confirm", "确认退回", "Return it"),
    ("comment_required", "请填写退回意见。", "Please write why it is returned."),
    ("cutoff", "报送截止时间", "Submission cut-off"),
    ("set_cutoff", "保存截止时间", "Save the cut-off"),
    ("cutoff_saved", "截止时间已保存。", "Cut-off saved."),
    ("cutoff_not_set", "未设置", "Not set"),
    ("not_submitted", "未报送的单位", "Not yet submitted"),
    (
        "not_submitted_wait",
        "截止时间过后，这里列出尚未报送的区县及联系人。目前未报送：",
        "After the cut-off, the districts that have not submitted are listed here with their contacts. Not submitted now:",
    ),
    ("contacts", "联系人", "Contacts"),
    ("yoy", "同比", "Year on year"),
    ("year_before", "上年", "Year before"),
    (
        "chart_by_org",
        "按单位（本页前 15 名，含尚未验收的数据）",
        "By organization (top 15 on this page; everything logged so far, accepted or not)",
    ),
    ("next_page", "下一页", "Next page"),
    ("first_page", "第一页", "First page"),
    ("decided_accepted", "已采纳。", "Accepted."),
    ("decided_returned", "已退回。", "Returned."),
    ("no_children", "没有下级单位。", "No member organizations."),
    ("drill_down", "下级明细", "Members"),
    // The day's notes and photos.
    ("nav_photos", "活动照片", "Photos"),
    ("photos_count", "共 {n} 张照片，其中 {s} 张选入报告", "{n} photos, {s} of them for the report"),
    (
        "photos_page_hint",
        "选入报告的照片编入总结报告的“活动剪影”部分（每页2至6张，附说明）。",
        "Photos marked for the report go into its “The Day in Pictures” section (2 to 6 a page, with captions).",
    ),
    ("photos_filter", "按会场查看", "Show a venue"),
    ("photos_show", "查看", "Show"),
    ("photos_zip", "下载全部照片（ZIP）", "Download all photos (ZIP)"),
    (
        "no_photos",
        "还没有照片。会场负责人在手机记录页上传的照片会显示在这里。",
        "No photos yet. Photos the venue leads attach on their phone page appear here.",
    ),
    ("photo_open", "查看大图", "View larger"),
    ("photo_star", "选入报告", "Use in the report"),
    ("photo_starred", "已选入报告", "In the report"),
    ("photo_caption", "照片说明", "Caption"),
    (
        "photo_caption_hint",
        "一行，最多200字；留空则使用记录的备注。",
        "One line, at most 200 characters; leave it empty to use the log entry's note.",
    ),
    ("photo_edit_caption", "修改说明", "Edit caption"),
    ("photo_corrected", "所属记录已更正", "Its log entry was corrected"),
    ("photo_voided", "所属记录已作废", "Its log entry was voided"),
    ("photo_by", "记录人", "By"),
    ("photo_count_venue", "张", "photos"),
    ("photo_one", "张", "photo"),
    ("close", "关闭", "Close"),
    ("nav_cases", "投诉案件", "Complaint cases"),
    ("case_intake", "受理投诉", "Take a complaint"),
    ("case_new", "登记新案件", "New case"),
    ("case_code", "案件编号", "Case code"),
    ("case_stage", "办理进度", "Stage"),
    (
        "case_consent",
        "消费者同意记录姓名和电话",
        "The consumer agrees to their name and phone being recorded",
    ),
    ("case_consent_purpose", "同意事项", "What they agree to"),
    (
        "case_anonymous",
        "未勾选同意时为匿名案件，不记录姓名和电话。",
        "Without consent the case is anonymous: no name or phone is recorded.",
    ),
    ("case_name", "消费者姓名", "Consumer's name"),
    ("case_phone", "联系电话", "Phone"),
    ("case_description", "投诉内容", "What happened"),
    (
        "case_description_hint",
        "请勿在此填写姓名、电话等个人信息。",
        "Do not write names or phone numbers here.",
    ),
    ("case_amount", "争议金额（元）", "Amount in dispute (yuan)"),
    ("case_odr_member", "和解平台成员", "reconciliation member"),
    ("case_take", "登记并出具回执", "Record and give a receipt"),
    ("case_receipt", "投诉回执", "Complaint receipt"),
    (
        "case_receipt_note",
        "凭案件编号或扫描二维码查询办理进度（仅显示进度，不显示个人信息）。",
        "Look up the progress with the case code or the QR code (it shows the progress only, no personal data).",
    ),
    ("case_status_page", "投诉办理进度查询", "Complaint progress"),
    (
        "case_not_found",
        "没有这个案件编号，请核对回执上的编号。",
        "No case has this code; check the code on the receipt.",
    ),
    ("case_steps", "办理经过", "Steps"),
    ("case_step_add", "记录办理进展", "Record a step"),
    ("case_on", "日期", "Date"),
    ("case_means", "办理方式", "By what means"),
    ("case_result", "办理结果", "Result"),
    ("case_reference_12315", "12315案件编号", "12315 case number"),
    ("case_odr_deadline", "ODR处理期限", "ODR deadline"),
    ("case_overdue", "已超期", "Overdue"),
    ("case_provisional", "（该年节假日安排尚未确认）", "(that year's holiday schedule is not yet confirmed)"),
    ("case_show_contact", "查看完整联系方式", "Show full contact"),
    ("case_contact_audited", "每次查看都会记入操作日志。", "Every view is recorded in the audit trail."),
    ("case_slip", "打印回执", "Print receipt"),
    ("case_open", "查看案件", "Open case"),
    ("case_purged", "个人信息已按保存期限删除", "Personal data removed after the retention period"),
    ("case_none", "暂无案件。", "No cases yet."),
    (
        "case_with_receipt",
        "其中{k}件有受理回执，消费者可凭回执编号查询办理进度",
        "{k} of them have a receipt code the consumer can look up",
    ),
    ("case_no_file", "无回执", "no receipt"),
    ("case_queued_here", "本机登记的案件", "Cases taken on this phone"),
    ("case_reconcile", "已登记案件{n}件，当天受理投诉{m}件", "{n} cases recorded of {m} complaints received"),
    (
        "case_reconcile_over",
        "登记的案件多于各会场统计的投诉数，请核对会场统计。",
        "More cases are recorded than the venues counted complaints: check the venues' tallies.",
    ),
    ("case_link", "进度查询链接", "Progress link"),
    ("case_printed_on", "受理日期", "Received on"),
    // Fields of cases as the API names them, for messages naming a field (app.js fieldLabel).
    ("field_consumer_name", "消费者姓名", "Consumer's name"),
    ("field_consumer_phone", "联系电话", "Phone"),
    ("field_consent", "同意记录姓名和电话", "Consent"),
    ("field_code", "案件编号", "Case code"),
    ("field_client_id", "案件标识", "Case id"),
    ("field_description", "投诉内容", "What happened"),
    ("field_amount_claimed_fen", "争议金额", "Amount in dispute"),
    ("field_enterprise_unit_id", "被投诉企业", "Enterprise"),
    ("field_stage", "办理进度", "Stage"),
    ("field_on", "日期", "Date"),
    ("field_means", "办理方式", "By what means"),
    ("field_result", "办理结果", "Result"),
    ("field_amount_recovered_fen", "挽回金额", "Money recovered"),
    ("field_reference_12315", "12315案件编号", "12315 case number"),
    (
        "case_lookup_locked",
        "从您的网络查询了太多不存在的案件编号，请{m}分钟后再试。",
        "Too many unknown case codes were looked up from your network; please try again in {m} min.",
    ),
    ("case_evidence", "证据照片", "Evidence photos"),
    (
        "case_evidence_hint",
        "小票、商品或门店照片，最多{n}张；无网络时随案件保存在本机，稍后自动上传",
        "A receipt, the product or the shop, up to {n}; kept on this phone with the case and sent later when offline",
    ),
    ("case_evidence_alt", "证据照片 {n}", "Evidence photo {n}"),
    ("case_evidence_none", "暂无证据照片。", "No evidence photos."),
    ("case_evidence_add", "添加证据照片", "Add an evidence photo"),
    ("case_evidence_added", "照片已保存", "Photo saved"),
    ("case_evidence_too_many", "每个案件在此最多添加{n}张照片", "At most {n} photos per case here"),
    ("case_evidence_unreadable", "无法读取这张照片", "This photo cannot be read"),
    ("case_evidence_waiting", "{n}张照片待上传", "{n} photos waiting to be sent"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_translated() {
        let mut seen = std::collections::BTreeSet::new();
        for (k, zh, en) in STRINGS {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(!zh.is_empty() && !en.is_empty(), "{k} is missing a translation");
        }
        assert_eq!(Lang::En.t("visitors"), "Visitors");
        assert_eq!(Lang::Zh.t("visitors"), "接待群众");
    }

    #[test]
    fn counts_and_dates_follow_the_language() {
        assert_eq!(format_count(1_234_567), "1,234,567");
        assert_eq!(format_count(-1000), "-1,000");
        let d = chrono::NaiveDate::from_ymd_opt(2013, 3, 15).unwrap_or_default();
        assert_eq!(format_date(Lang::Zh, d), "2013年3月15日");
        assert_eq!(format_date(Lang::En, d), "15 Mar 2013");
    }
}
