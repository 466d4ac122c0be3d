/* Candor age.js: keeps a status page's relative times ("14 min ago",
   "ongoing for 2 h") true while the page ages in a reader's browser, and
   says so, with a notice, when the page is older than the site promises
   (stale_after x update_interval).

   Progressive enhancement: without this script the page reads as it was
   built ("Status as of ..." in the footer says when). It reads the build's
   clock from <meta name="candor-built"> (a settled page, a resolved
   incident's, has none: nothing on it ages), each relative time's instant from
   <time datetime data-ago> ("... ago") or data-since ("ongoing for ..."),
   and changes nothing else. A plain script (no module, no fetch), so it
   runs from file:// too. Nothing it shows moves or animates. */
(function () {
  "use strict";
  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute("content") : null;
  }
  var built = Date.parse(meta("candor-built") || "");
  if (isNaN(built)) {
    return;
  }
  var staleAfter = Number(meta("candor-stale-after") || 0) * 1000;
  var notice = null;

  /* The words the build uses (candor's human_duration): "2 d 3 h 5 min". */
  function words(minutes) {
    if (minutes < 1) {
      return "less than a minute";
    }
    var d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60, parts = [];
    if (d > 0) { parts.push(d + " d"); }
    if (h > 0) { parts.push(h + " h"); }
    if (m > 0) { parts.push(m + " min"); }
    return parts.join(" ");
  }

  function set(el, text) {
    if (el.textContent !== text) {
      el.textContent = text;
    }
  }

  function tick() {
    var now = Date.now(), i, el, at, ms;
    /* A reader's clock behind the build's: the page's own words hold. */
    if (now < built) {
      return;
    }
    var agos = document.querySelectorAll("time[data-ago]");
    for (i = 0; i < agos.length; i++) {
      el = agos[i];
      at = Date.parse(el.getAttribute("datetime") || "");
      /* An age is rounded down, as the build does. */
      if (!isNaN(at) && now >= at) {
        set(el, words(Math.floor((now - at) / 60000)) + " ago");
      }
    }
    var sinces = document.querySelectorAll("[data-since]");
    for (i = 0; i < sinces.length; i++) {
      el = sinces[i];
      at = Date.parse(el.getAttribute("data-since") || "");
      ms = now - at;
      /* An outage's length is rounded up, never shorter than it was. */
      if (!isNaN(at) && ms > 0) {
        set(el, words(Math.ceil(ms / 60000)));
      }
    }
    if (staleAfter > 0 && now - built > staleAfter) {
      if (!notice) {
        notice = document.createElement("p");
        notice.className = "stale-notice";
        notice.setAttribute("role", "status");
        var main = document.getElementById("main") || document.body;
        main.insertBefore(notice, main.firstChild);
      }
      set(notice, "This page was last refreshed " + words(Math.floor((now - built) / 60000)) +
        " ago; it may be out of date.");
    }
  }

  function start() {
    tick();
    setInterval(tick, 30000);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) {
        tick();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
