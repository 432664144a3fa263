// One stylesheet, inlined in every page (no CDN, no request of its own). Colours pass WCAG AA
// contrast on white (checked by test/dashboard/contrast.test.ts); focus is always visible.
export const COLORS = {
  text: "#1a1a1a",
  muted: "#4a4a4a",
  accent: "#0b4f9c",
  allow: "#1b6e2d",
  block: "#a3161a",
  warn: "#7a4b00",
  border: "#8a8a8a",
  background: "#ffffff",
  panel: "#f3f5f8",
} as const;

export const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:${COLORS.text};background:${COLORS.background}}
a{color:${COLORS.accent}}
:focus-visible{outline:3px solid ${COLORS.accent};outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:10}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between;padding:.75rem 1.5rem;border-bottom:1px solid ${COLORS.border};background:${COLORS.panel}}
header .brand{font-weight:700;font-size:1.2rem;text-decoration:none;color:${COLORS.text}}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:1rem;margin:0;padding:0}
nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
.who{display:flex;gap:.75rem;align-items:center;font-size:.95rem}
main{max-width:72rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin-top:0}
h2{font-size:1.25rem;margin-top:2rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input,select,button,textarea{font:inherit}
input[type=text],input[type=password],input[type=search],input[type=date],input[type=datetime-local],select{padding:.4rem .5rem;border:1px solid ${COLORS.border};border-radius:4px;min-width:16rem;max-width:100%}
button,.button{display:inline-block;padding:.45rem 1rem;border:1px solid ${COLORS.accent};background:${COLORS.accent};color:#fff;border-radius:4px;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:${COLORS.accent}}
button.danger{background:${COLORS.block};border-color:${COLORS.block}}
.hint{color:${COLORS.muted};font-size:.9rem;margin:.25rem 0}
.error{color:${COLORS.block};font-weight:600}
.notice{border-left:4px solid ${COLORS.accent};background:${COLORS.panel};padding:.75rem 1rem;margin:1rem 0}
.notice.error{border-color:${COLORS.block}}
.allow{color:${COLORS.allow};font-weight:700}
.block{color:${COLORS.block};font-weight:700}
.contested{color:${COLORS.warn}}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{text-align:left;vertical-align:top;padding:.4rem .6rem;border-bottom:1px solid #d0d0d0}
th{background:${COLORS.panel}}
fieldset{border:1px solid ${COLORS.border};border-radius:4px;margin:1rem 0;padding:.5rem 1rem 1rem}
legend{font-weight:700}
.row{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem}
.card{border:1px solid ${COLORS.border};border-radius:6px;padding:1rem}
.card h2{margin-top:0}
progress{width:100%;height:1.25rem}
code{font-size:.9em;background:${COLORS.panel};padding:0 .2em;overflow-wrap:anywhere}
iframe.report{width:100%;height:70rem;border:1px solid ${COLORS.border}}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;
