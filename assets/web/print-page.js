// The print sheet's "print" button (no inline handlers: the Content-Security-Policy forbids them),
// and its booth labels fitted as on the planner.
import { fitBoothLabels, pxPerMetre } from './plan-labels.js';

document.getElementById('print-page')?.addEventListener('click', () => window.print());

const svg = document.getElementById('plan');
function fitAll() {
  if (!svg) return;
  const pxm = pxPerMetre(svg);
  for (const g of svg.querySelectorAll('.booth')) {
    const r = g.querySelector('rect');
    const rot = /rotate\(([-\d.]+)/.exec(g.getAttribute('transform') || '');
    const box = { x: +r.getAttribute('x'), y: +r.getAttribute('y'), w: +r.getAttribute('width'), h: +r.getAttribute('height'), rotation_deg: rot ? +rot[1] : 0 };
    fitBoothLabels(g, box, g.dataset.num, g.dataset.topic, g.dataset.units, pxm);
  }
}
fitAll();
window.addEventListener('beforeprint', fitAll);
window.addEventListener('afterprint', fitAll);
