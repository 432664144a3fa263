// The one script of the dashboard, served as GET /assets/screen.js (the CSP allows scripts from
// this origin only, never inline). It refreshes a running screening's progress from
// GET /screen/:id/status without reloading the page, and reloads it once the screening ends.
// Without it, the page refreshes itself (a <meta http-equiv="refresh"> inside <noscript>). Kept
// as a string in a module so that the build ships it with the code.
import type { FastifyInstance } from "fastify";

export const SCREEN_JS = `"use strict";
(function () {
  var box = document.querySelector("[data-status-url]");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("progress");
  var text = document.getElementById("progress-text");
  var spoken = 0;
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { accept: "application/json" } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (s) {
        if (s === null) return setTimeout(tick, 5000);
        if (s.status !== "running") { window.location.reload(); return; }
        if (bar && typeof s.percent === "number") bar.value = s.percent;
        // The live region is read aloud: change it every five seconds at most.
        var now = Date.now();
        if (text && now - spoken >= 5000) { text.textContent = s.text; spoken = now; }
        setTimeout(tick, 1000);
      })
      .catch(function () { setTimeout(tick, 5000); });
  }
  setTimeout(tick, 1000);
})();
`;

export function screenAssets(app: FastifyInstance): void {
  app.get("/assets/screen.js", (_req, reply) =>
    reply.type("text/javascript; charset=utf-8").header("cache-control", "no-cache").send(SCREEN_JS),
  );
}
