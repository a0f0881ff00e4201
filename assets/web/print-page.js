// The print sheet's "print" button (no inline handlers: the Content-Security-Policy forbids them).
document.getElementById('print-page')?.addEventListener('click', () => window.print());
