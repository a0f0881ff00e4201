// Booth labels on a floor plan (the planner and the print sheet): the booth's number and topic,
// and below it the staffing units, sized to the booth. A label is never drawn smaller than 9 px
// on screen: what does not fit at that size is shortened with "…" (the full text is in the
// booth's <title>, shown on hover, and in its accessible name); a booth too small for any topic
// still shows its number.

/** The smallest label, in CSS pixels. */
export const MIN_PX = 9;

/** Pixels per metre of the plan as drawn now (falls back to 40 when it is not laid out). */
export function pxPerMetre(svg) {
  const m = svg.getScreenCTM();
  return m && m.a > 0 ? m.a : 40;
}

/** Text of `full` shortened with "…" until `measure(text)` is at most `room`. */
function shorten(text, full, room, measure) {
  if (measure(text + full) <= room) return text + full;
  const chars = [...full];
  for (let n = chars.length - 1; n >= 1; n--) {
    const candidate = `${text}${chars.slice(0, n).join('')}…`;
    if (measure(candidate) <= room) return candidate;
  }
  return text.trimEnd();
}

/**
 * Sizes and places the labels of booth group `g` for the booth `r` ({x, y, w, h,
 * rotation_deg}), with `num` its number, `topic` and `units` the full texts.
 */
export function fitBoothLabels(g, r, num, topic, units, pxm) {
  const [label, unitText] = g.querySelectorAll('text');
  const cx = r.x + r.w / 2, cy = r.y + r.h / 2;
  const minFs = MIN_PX / pxm;
  const room = r.w * 0.9;
  const chars = [...`${num} ${topic}`].length;
  let fs = Math.max(minFs, Math.min(r.h * 0.3, room / (chars + 0.5), 1.6));
  // Never taller than the booth (a tiny booth shows its number as large as it can).
  if (fs > r.h * 0.9) fs = r.h * 0.9;
  const measure = (el, size) => (s) => { el.textContent = s; el.style.fontSize = `${size}px`; return el.getComputedTextLength(); };
  label.textContent = shorten(`${num} `, topic || '', room, measure(label, fs));
  let fu = Math.max(minFs, Math.min(fs * 0.6, room / ([...(units || '')].length + 0.5)));
  // The units line only where there is height for both lines.
  const both = units && fs + fu * 1.2 <= r.h * 0.9;
  if (both) unitText.textContent = shorten('', units, room, measure(unitText, fu));
  else { unitText.textContent = ''; fu = 0; }
  const rot = ((r.rotation_deg % 360) + 360) % 360;
  const flip = rot > 90 && rot <= 270;
  const place = (text, size, dy) => {
    text.style.fontSize = `${size}px`;
    text.dataset.dy = dy;
    text.setAttribute('x', cx);
    text.setAttribute('y', cy + dy);
    if (flip) text.setAttribute('transform', `rotate(180 ${cx} ${cy})`);
    else text.removeAttribute('transform');
  };
  place(label, fs, unitText.textContent ? -fu * 0.6 : 0);
  place(unitText, fu || minFs, fs * 0.6);
}
