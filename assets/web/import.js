// The import panel of every planning page (templates/import_export.html): the chosen file is
// checked first (a dry run of the API's import: nothing is written), the result shown in plain
// words of the page's language (counts, and each refused cell with its line or sheet cell and
// column), and only "Confirm" imports it; then the page loads again with what the server has.
import { api, failureText, fieldMessage, lang, say, t } from './app.js';

const NOTE = 'eventday.import.note';
const form = document.getElementById('io-form');
const out = document.getElementById('io-result');
const confirmBtn = document.getElementById('io-confirm');
const checkBtn = document.getElementById('io-check');
const fileInput = document.getElementById('io-file');
let checked = null;

const note = sessionStorage.getItem(NOTE);
if (note && out) { sessionStorage.removeItem(NOTE); say(out, note, 'ok'); }

/** `{name}` placeholders of a page string filled in. */
function fill(key, values) {
  return t(key).replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ''));
}

// What the import says of a file or a cell, in Chinese on Chinese pages; anything not known
// here goes through the pages' common table, and parser wording is never shown.
const IMPORT_MESSAGES_ZH = [
  [/^"(.*)" is not a whole number$/, (m) => `“${m[1]}”不是整数`],
  [/^"(.*)" is not a number$/, (m) => `“${m[1]}”不是数字`],
  [/^must be a number up to (\d+)$/, (m) => `应为不超过 ${m[1]} 的数字`],
  [/^must be at most (\d+)$/, (m) => `不能超过 ${m[1]}`],
  [/^"(.*)" is not a date YYYY-MM-DD$/, (m) => `“${m[1]}”不是日期（应写作 2013-03-15）`],
  [/^"(.*)" is not a time /, (m) => `“${m[1]}”不是时间（应写作 2013-03-15 09:30 或 09:30）`],
  [/^"(.*)" is not 是\/否/, (m) => `“${m[1]}”应填“是”或“否”`],
  [/^"(.*)" is not a year /, (m) => `“${m[1]}”不是 1980 至 2200 之间的年份`],
  [/^"(.*)" is not one of: (.*)$/, (m) => `“${m[1]}”不是可选的值；可选：${m[2]}`],
  [/^no venue named "(.*)" in this campaign$/, (m) => `本次活动没有名为“${m[1]}”的会场`],
  [/^unknown column; expected/, () => '无法识别的列名（请使用模板中的列名）'],
  [/^missing required column (\S+)/, (m) => `缺少必填的列“${m[1]}”`],
  [/^duplicate column/, () => '这一列与另一列重复'],
  [/^same .* as line (\d+)$/, (m) => `与第 ${m[1]} 行重复`],
  [/^has (\d+) cells but the header names (\d+) columns$/, (m) => `这一行有 ${m[1]} 格，但表头只有 ${m[2]} 列`],
  [/^the file is empty/, () => '文件是空的：第一行应为列名'],
  [/^the file is neither UTF-8 nor GB18030\/GBK text$/, () => '文件既不是 UTF-8 也不是 GBK 编码的文本，也不是 Excel 工作簿'],
  [/^mixed encodings/, () => '文件混用了两种编码，请统一另存为 UTF-8 或 GBK'],
  [/^unreadable (row|header)/, () => '这一行无法读取（可能是引号没有成对）'],
  [/^merged cells \((.*)\) cannot be imported/, (m) => `不能导入合并的单元格（${m[1]}）：请取消合并，每行填写自己的值`],
  [/^the workbook has a hidden sheet \("(.*)"\)/, (m) => `工作簿中有隐藏的工作表“${m[1]}”：请取消隐藏或删除后再导入，以免导入看不见的内容`],
  [/^the workbook expands to more than (\d+) MB/, (m) => `工作簿解压后超过 ${m[1]} MB，未打开；请在表格软件中另存或拆分后再导入`],
  [/^the workbook holds (\d+) parts/, () => '工作簿的内部文件过多，不像普通表格，未打开'],
  [/^the sheet "(.*)" is empty/, (m) => `工作表“${m[1]}”是空的：第一行应为列名`],
  [/^the cell shows the spreadsheet error (.*);/, (m) => `这一格是表格错误值 ${m[1]}，请先更正`],
  [/workbook|zip archive|\.xls/, () => '文件看起来是 Excel 工作簿，但无法读取；请在表格软件中另存为 .xlsx 后再试'],
  [/^and (\d+) more errors$/, (m) => `还有 ${m[1]} 处问题`],
];
const IMPORT_MESSAGES_EN = [
  [/^unreadable (row|header)/, () => 'this line cannot be read (perhaps a quotation mark is not closed)'],
];

function message(text) {
  const table = lang === 'zh' ? IMPORT_MESSAGES_ZH : IMPORT_MESSAGES_EN;
  for (const [re, f] of table) {
    const m = String(text).match(re);
    if (m) return f(m);
  }
  return fieldMessage(text);
}

/** Where an error is: the workbook cell, or the CSV line and column. */
function where(e) {
  const col = e.column ? fill('io_column', { column: e.column }) : '';
  const place = e.cell ? fill('io_cell', { cell: e.cell }) : fill('io_line', { line: e.line });
  return col ? `${place}${lang === 'zh' ? '，' : ', '}${col}` : place;
}

function show(report, dryRun) {
  out.replaceChildren();
  const errors = report?.errors || [];
  if (errors.length) {
    const p = document.createElement('p');
    p.className = 'msg error';
    p.textContent = fill('io_refused', { n: errors.length });
    const ul = document.createElement('ul');
    ul.className = 'io-errors';
    for (const e of errors) {
      const li = document.createElement('li');
      const b = document.createElement('strong');
      b.textContent = where(e);
      li.append(b, document.createTextNode(`${lang === 'zh' ? '：' : ': '}${message(e.message)}`));
      ul.append(li);
    }
    out.append(p, ul);
    return;
  }
  const p = document.createElement('p');
  p.className = 'msg ok';
  p.textContent = fill(dryRun ? 'io_checked' : 'io_imported', report);
  out.append(p);
}

async function send(dryRun) {
  const file = fileInput.files?.[0];
  if (!file) { say(out, t('io_no_file'), 'error'); return null; }
  const kind = document.getElementById('io-kind').value;
  const body = new FormData();
  body.append('file', file);
  const url = `/api/v1/campaigns/${form.dataset.campaign}/import/${kind}${dryRun ? '?dry_run=true' : ''}`;
  return api('POST', url, body, { timeout: 120000 });
}

form?.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  confirmBtn.hidden = true;
  checked = null;
  say(out, t('io_checking'), '');
  checkBtn.disabled = true;
  const r = await send(true);
  checkBtn.disabled = false;
  if (!r) return;
  if (r.ok || (r.status === 422 && r.data?.errors)) {
    show(r.data, true);
    const nothing = r.ok && r.data.created + r.data.updated === 0;
    if (r.ok && !nothing) { checked = fileInput.files[0]; confirmBtn.hidden = false; confirmBtn.focus(); }
    if (nothing) say(out, fill('io_nothing', r.data), 'ok');
  } else {
    say(out, failureText(r), 'error');
  }
});

fileInput?.addEventListener('change', () => { confirmBtn.hidden = true; checked = null; out.replaceChildren(); });

confirmBtn?.addEventListener('click', async () => {
  if (!checked || fileInput.files?.[0] !== checked) { confirmBtn.hidden = true; return; }
  confirmBtn.disabled = true;
  const r = await send(false);
  confirmBtn.disabled = false;
  if (r?.ok) {
    sessionStorage.setItem(NOTE, fill('io_imported', r.data));
    location.reload();
  } else if (r?.status === 422 && r.data?.errors) {
    confirmBtn.hidden = true;
    show(r.data, false);
  } else if (r) {
    say(out, failureText(r), 'error');
  }
});
