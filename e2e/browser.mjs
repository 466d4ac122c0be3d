// Checks of served pages in a real Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; no downloaded browser):
//
//   node e2e/browser.mjs INCIDENT_URL QUIET_URL LARGE_URL OPEN_TITLE
//
// INCIDENT_URL and QUIET_URL serve the example site during an incident and
// at a quiet instant, LARGE_URL the generated 200 x 60 site with an open
// incident, OPEN_TITLE is the title of the example's open incident.
// CANARY_URL, when given, serves the example with the theme's old
// `.matrix-scroll` (not positioned): the phone check must catch it.
// Every failure names the site, the page, the check and the element.

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const axeSource = require('axe-core').source;
const here = dirname(fileURLToPath(import.meta.url));
const artifacts = process.env.E2E_ARTIFACTS || join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

const [incidentUrl, quietUrl, largeUrl, openTitle, canaryUrl] = process.argv.slice(2);
if (!openTitle) {
  console.error('usage: node e2e/browser.mjs INCIDENT_URL QUIET_URL LARGE_URL OPEN_TITLE [CANARY_URL]');
  process.exit(2);
}

const PAGES = {
  front: 'index.html',
  incident: 'incidents/2025-09-29-storage-metadata-outage/index.html', // has a postmortem
  service: 'components/managed-postgres/index.html',
  region: 'regions/eu-west/index.html',
  credits: 'credits/index.html',
  history: 'history/index.html',
};
const PHONE = 390;
const DESKTOP = 1280;

const failures = [];
let checks = 0;
function fail(site, page, check, what) {
  failures.push(`FAIL [${site}] ${page}: ${check}: ${what}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});

// In the page: a short CSS path and an HTML snippet naming an element.
const DESCRIBE = `window.__describe = (el) => {
  const path = [];
  for (let e = el; e && e.nodeType === 1 && path.length < 5; e = e.parentElement) {
    let s = e.localName;
    if (e.id) { path.unshift(s + '#' + e.id); break; }
    if (e.classList.length) s += '.' + [...e.classList].join('.');
    const p = e.parentElement;
    if (p) {
      const same = [...p.children].filter((c) => c.localName === e.localName);
      if (same.length > 1) s += ':nth-of-type(' + (same.indexOf(e) + 1) + ')';
    }
    path.unshift(s);
  }
  const html = el.outerHTML.replace(/\\s+/g, ' ');
  return path.join(' > ') + '  ' + (html.length > 160 ? html.slice(0, 160) + '...' : html);
};`;

async function open(ctx, base, path) {
  const page = await ctx.newPage();
  await page.addInitScript(DESCRIBE);
  const resp = await page.goto(base + path, { waitUntil: 'load' });
  if (!resp || resp.status() !== 200) throw new Error(`${base}${path}: HTTP ${resp && resp.status()}`);
  return page;
}

async function newContext(opts = {}) {
  return browser.newContext({ viewport: { width: DESKTOP, height: 900 }, ...opts });
}

// ---------------------------------------------------------------- accessibility

async function axe(site, name, page) {
  checks++;
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    // The injected live-reload script of `candor serve` is not part of the site.
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + '  ' + n.html.slice(0, 160)),
      count: v.nodes.length,
    }));
  });
  for (const v of result) {
    const bad = v.impact === 'serious' || v.impact === 'critical' || v.id === 'page-has-heading-one';
    if (bad) fail(site, name, `axe ${v.id} (${v.impact})`, `${v.help}; ${v.count} element(s): ${v.nodes.join(' | ')}`);
    else console.log(`  note [${site}] ${name}: axe ${v.id} (${v.impact}): ${v.help} (${v.count})`);
  }
}

async function oneH1(site, name, page) {
  checks++;
  const h1s = await page.$$eval('h1', (els) => els.map((e) => window.__describe(e)));
  if (h1s.length !== 1) fail(site, name, 'one <h1>', `found ${h1s.length}: ${h1s.join(' | ') || 'none'}`);
}

// Status is never colour alone: every element coloured by a status or impact
// class carries words a reader sees or hears: text outside aria-hidden, an
// aria-label or a title (the uptime bar's days: a title each, and the bar
// as a whole is a role=img with an aria-label).
async function notColourAlone(site, name, page) {
  checks++;
  const bad = await page.evaluate(() => {
    const words = (el) => {
      if (el.getAttribute('aria-label') || el.getAttribute('title')) return 'label';
      let t = '';
      const walk = (n) => {
        if (n.nodeType === 3) t += n.data;
        else if (n.nodeType === 1 && n.getAttribute('aria-hidden') !== 'true') n.childNodes.forEach(walk);
      };
      walk(el);
      return t.trim();
    };
    const out = [];
    for (const el of document.querySelectorAll('[class*="st-"], [class*="im-"], [class*="sev-"], .status, .impact, .badge')) {
      if (!/(^|\s)(st|im|sev)-|(^|\s)(status|impact|badge)(\s|$)/.test(el.className)) continue;
      if (!words(el)) out.push(window.__describe(el));
    }
    return out;
  });
  if (bad.length) fail(site, name, 'status by colour alone', `${bad.length} element(s) without words or label: ${bad.slice(0, 3).join(' | ')}`);
}

// Tab from the top of the page: every visible link to an incident must get
// the keyboard focus before the focus comes back round.
async function keyboardReachesIncidents(site, name, page, openAll) {
  checks++;
  if (openAll) {
    await page.reload({ waitUntil: 'load' });
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    name += ' (every <details> open)';
  }
  // Number every visible incident link; Tab until each number had the focus.
  const wanted = await page.$$eval('a[href*="incidents/"]', (as) => as
    .filter((a) => a.checkVisibility())
    .map((a, i) => { a.dataset.e2eLink = String(i); return window.__describe(a); }));
  const reached = new Set();
  let first = null;
  for (let i = 0; i < 3000 && reached.size < wanted.length; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const a = document.activeElement;
      return a && a !== document.body ? { n: a.dataset.e2eLink, d: window.__describe(a) } : null;
    });
    if (!f) continue;
    if (first === null) first = f.d;
    else if (f.d === first) break; // wrapped round
    if (f.n !== undefined) reached.add(Number(f.n));
  }
  const missed = wanted.filter((_, i) => !reached.has(i));
  if (missed.length) fail(site, name, 'keyboard (Tab) reaches every incident link', `${missed.length} of ${wanted.length} never focused: ${missed.slice(0, 3).join(' | ')}`);
  return wanted.length;
}

async function darkScheme(site, name, base, path) {
  checks++;
  const colours = {};
  for (const scheme of ['light', 'dark']) {
    const ctx = await newContext({ colorScheme: scheme });
    const page = await open(ctx, base, path);
    colours[scheme] = await page.evaluate(() => {
      const s = getComputedStyle(document.body);
      return `${s.backgroundColor} / ${s.color}`;
    });
    await ctx.close();
  }
  if (colours.light === colours.dark) fail(site, name, 'prefers-color-scheme: dark', `body colours do not change (${colours.dark})`);
}

async function reducedMotion(site, name, base, path) {
  checks++;
  const ctx = await newContext({ reducedMotion: 'reduce' });
  const page = await open(ctx, base, path);
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  const moving = await page.evaluate(() => {
    const secs = (v) => Math.max(...v.split(',').map((x) => parseFloat(x) * (x.trim().endsWith('ms') ? 0.001 : 1)));
    const out = [];
    for (const el of [document.documentElement, ...document.querySelectorAll('*')]) {
      for (const pseudo of [null, '::before', '::after']) {
        const s = getComputedStyle(el, pseudo);
        if ((s.animationName !== 'none' && secs(s.animationDuration) > 0.01) || secs(s.transitionDuration) > 0.01
          || s.scrollBehavior === 'smooth') {
          out.push(`${window.__describe(el)}${pseudo || ''} (animation ${s.animationName} ${s.animationDuration}, transition ${s.transitionDuration}, scroll-behavior ${s.scrollBehavior})`);
        }
      }
      if (out.length > 5) break;
    }
    return out;
  });
  if (moving.length) fail(site, name, 'prefers-reduced-motion: reduce', `still moving: ${moving.join(' | ')}`);
  await ctx.close();
}

// ---------------------------------------------------------------- no JavaScript

async function noJs(site, base, openTitle) {
  checks++;
  const ctx = await newContext({ javaScriptEnabled: false });
  const page = await open(ctx, base, PAGES.front);
  const seen = await page.evaluate(() => {
    const vis = (sel) => [...document.querySelectorAll(sel)].filter((e) => e.checkVisibility()).map((e) => e.innerText.trim());
    return {
      headline: vis('.banner .headline').join(' '),
      summary: vis('.banner .situation .rest').join(' '),
      open: vis('.situation-list li, #open-h ~ article h3').join('\n'),
    };
  });
  if (!/\S/.test(seen.headline)) fail(site, 'index.html', 'no JavaScript: overall status', 'the banner headline (.banner .headline) is not shown');
  if (!/affected by/.test(seen.summary)) fail(site, 'index.html', 'no JavaScript: summary', `the situation summary is not shown (got ${JSON.stringify(seen.summary)})`);
  if (!seen.open.includes(openTitle)) fail(site, 'index.html', 'no JavaScript: open incidents', `${JSON.stringify(openTitle)} is not shown among open incidents (.situation-list, #open-h)`);
  await ctx.close();
}

// ---------------------------------------------------------------- phone width

// At 390 px, with every <details> open, nothing may stick out of the viewport
// except inside a scroll box (the matrix's own .matrix-scroll). An element
// counts as clipped by a scroll box when its containing block is inside it:
// an absolutely positioned element whose nearest positioned ancestor is
// outside the box escapes it (and widens the page).
async function phone(site, name, base, path, shot, expectOverflow = false) {
  checks++;
  const ctx = await newContext({ viewport: { width: PHONE, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  const page = await open(ctx, base, path);
  const groups = await page.evaluate(() => {
    const ds = document.querySelectorAll('details');
    ds.forEach((d) => { d.open = true; });
    return ds.length;
  });
  const r = await page.evaluate((vw) => {
    const clips = new Map(); // element -> does it clip its content within the viewport?
    const clipsInside = (e) => {
      if (!clips.has(e)) {
        const s = getComputedStyle(e);
        clips.set(e, s.overflowX !== 'visible' && e.getBoundingClientRect().right <= vw + 0.5);
      }
      return clips.get(e);
    };
    // Clipped when an ancestor of its containing block (or the block itself)
    // clips within the viewport.
    const clipped = (el) => {
      const pos = getComputedStyle(el).position;
      if (pos === 'fixed') return false;
      let e = pos === 'absolute' ? el.offsetParent : el.parentElement;
      for (; e && e !== document.body && e !== document.documentElement; e = e.parentElement) {
        if (clipsInside(e)) return true;
      }
      return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      if (rect.right <= vw + 0.5) continue; // off to the left (a skip link) widens nothing
      if (clipped(el)) continue;
      out.push(`${window.__describe(el)} (right edge at ${Math.round(rect.right)} px)`);
      if (out.length >= 5) break;
    }
    return { scrollWidth: document.documentElement.scrollWidth, out };
  }, PHONE);
  if (expectOverflow) {
    // The canary: the theme with the known bug must be caught.
    if (!(r.scrollWidth > PHONE && r.out.some((o) => o.includes('class="vh"')))) {
      fail(site, path, `phone ${PHONE} px canary`, `the check missed the matrix labels escaping .matrix-scroll (page ${r.scrollWidth} px; ${r.out.join(' | ') || 'nothing found'})`);
    } else {
      console.log(`  [${site}] canary caught: page ${r.scrollWidth} px wide, ${r.out[0]}`);
    }
  } else if (r.scrollWidth > PHONE || r.out.length) {
    fail(site, path, `phone ${PHONE} px, ${groups} <details> open`,
      `page is ${r.scrollWidth} px wide; outside the viewport: ${r.out.join(' | ') || '(no element found)'}`);
  }
  if (shot) await page.screenshot({ path: join(artifacts, `${shot}-phone.png`), fullPage: true });
  await ctx.close();
}

// ---------------------------------------------------------------- run

const t0 = Date.now();
const lap = (what) => console.log(`  ${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
try {
  // The example during the incident: every check on the six pages.
  {
    const site = 'example@incident';
    const ctx = await newContext();
    for (const [name, path] of Object.entries(PAGES)) {
      const page = await open(ctx, incidentUrl, path);
      await oneH1(site, path, page);
      await notColourAlone(site, path, page);
      await axe(site, path, page);
      if (name === 'front') {
        for (const openAll of [false, true]) {
          const n = await keyboardReachesIncidents(site, path, page, openAll);
          console.log(`  [${site}] keyboard reached ${n} incident links${openAll ? ' with every group open' : ''}`);
        }
      }
      if (['front', 'incident', 'service'].includes(name)) {
        await page.screenshot({ path: join(artifacts, `${name}-desktop.png`), fullPage: true });
      }
      await page.close();
    }
    await ctx.close();
    await darkScheme(site, PAGES.front, incidentUrl, PAGES.front);
    await reducedMotion(site, PAGES.front, incidentUrl, PAGES.front);
    await noJs(site, incidentUrl, openTitle);
    for (const [name, path] of Object.entries(PAGES)) {
      await phone(site, name, incidentUrl, path, ['front', 'incident', 'service'].includes(name) ? name : null);
    }
  }
  lap('example during the incident');
  // The example at a quiet instant: front page.
  {
    const site = 'example@quiet';
    const ctx = await newContext();
    const page = await open(ctx, quietUrl, PAGES.front);
    await oneH1(site, PAGES.front, page);
    await notColourAlone(site, PAGES.front, page);
    await axe(site, PAGES.front, page);
    await ctx.close();
    await phone(site, 'front', quietUrl, PAGES.front, null);
  }
  lap('example at a quiet instant');
  // 200 x 60 with an open incident: phone width on the front page with every
  // group open, a service and a region page; one h1 and keyboard on the front.
  {
    const site = 'gen-200x60';
    const ctx = await newContext();
    const page = await open(ctx, largeUrl, PAGES.front);
    await oneH1(site, PAGES.front, page);
    await notColourAlone(site, PAGES.front, page);
    const more = await page.evaluate(() => [
      document.querySelector('.matrix a[href^="components/"]')?.getAttribute('href'),
      document.querySelector('.matrix a[href^="regions/"]')?.getAttribute('href'),
    ].filter(Boolean));
    await ctx.close();
    await phone(site, 'front', largeUrl, PAGES.front, null);
    for (const href of more) await phone(site, href, largeUrl, href, null);
  }
  lap('200 x 60');
  if (canaryUrl) await phone('canary: .matrix-scroll not positioned', 'front', canaryUrl, PAGES.front, null, true);
} finally {
  await browser.close();
}

for (const f of failures) console.log(f);
console.log(`browser checks: ${checks} run, ${failures.length} failure(s) (${((Date.now() - t0) / 1000).toFixed(1)} s); screenshots in ${artifacts}`);
process.exit(failures.length ? 1 : 0);
