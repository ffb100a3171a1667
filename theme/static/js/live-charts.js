// Live charts, as progressive enhancement. Each chart arrives as a static SVG; once the reader
// is active on the page (moves, touches, scrolls or types), each chart that nears the viewport
// is swapped for a live Vega view of the same size, with tooltips that a mouse, a finger or
// the keyboard can reach. Until then the page does no chart work at all, so it is ready to
// read at once. If anything fails, the static chart stays as it was.
const RUNTIME_URL = new URL("./vega-runtime.js", import.meta.url);
let runtime = null;

function loadRuntime() {
  runtime = runtime || import(RUNTIME_URL.href);
  return runtime;
}

function tooltipElement(frame) {
  const tip = document.createElement("div");
  tip.className = "chart-tooltip";
  tip.id = `${frame.closest("figure").id}-tooltip`;
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  frame.appendChild(tip);
  return tip;
}

function fillTooltip(tip, value) {
  const list = document.createElement("dl");
  const entries = value && typeof value === "object" ? Object.entries(value) : [["", String(value)]];
  for (const [key, text] of entries) {
    if (text === null || text === undefined || text === "") continue;
    const term = document.createElement("dt");
    term.textContent = key;
    const detail = document.createElement("dd");
    detail.textContent = String(text);
    list.append(term, detail);
  }
  tip.replaceChildren(list);
}

function place(tip, frame, x, y) {
  const box = frame.getBoundingClientRect();
  tip.hidden = false;
  const left = Math.min(Math.max(x - box.left + 12, 0), box.width - tip.offsetWidth);
  const top = y - box.top + 12;
  tip.style.left = `${Math.max(left, 0)}px`;
  tip.style.top = `${top}px`;
}

function describe(value) {
  if (!value || typeof value !== "object") return String(value ?? "");
  return Object.entries(value)
    .filter(([, text]) => text !== null && text !== undefined && text !== "")
    .map(([key, text]) => `${key}: ${text}`)
    .join("; ");
}

function tooltipItems(scene, found = []) {
  if (!scene) return found;
  for (const item of scene.items || []) {
    if (item.tooltip !== undefined && item._svg) found.push(item);
    if (item.items) tooltipItems(item, found);
  }
  return found;
}

// A chart comes as a phone and a desktop artboard; the stylesheet shows the one that fits.
function shownArtboard(frame) {
  return [...frame.querySelectorAll(".chart-art")].find((art) => getComputedStyle(art).display !== "none");
}

async function hydrate(figure) {
  const frame = figure.querySelector(".chart-frame");
  const art = frame && shownArtboard(frame);
  const staticSvg = art && art.querySelector("svg");
  if (!staticSvg || figure.dataset.live) return;
  figure.dataset.live = "loading";
  try {
    const [{ View, parse, expressionInterpreter }, spec] = await Promise.all([
      loadRuntime(),
      fetch(art.dataset.vegaSpec).then((response) => {
        if (!response.ok) throw new Error(`spec ${response.status}`);
        return response.json();
      }),
    ]);
    const holder = document.createElement("div");
    holder.className = "chart-live";
    const tip = tooltipElement(frame);
    const view = new View(parse(spec, null, { ast: true }), {
      expr: expressionInterpreter,
      renderer: "svg",
      container: holder,
      hover: true,
    });
    view.tooltip((handler, event, item, value) => {
      if (value === undefined || value === null) {
        tip.hidden = true;
        return;
      }
      fillTooltip(tip, value);
      place(tip, frame, event.clientX, event.clientY);
    });
    await view.runAsync();
    const liveSvg = holder.querySelector("svg");
    if (!liveSvg) throw new Error("no SVG rendered");
    // Fit the live drawing into the static chart's box, so nothing on the page moves even
    // where the reader's fonts measure text a little differently from the build's.
    if (!liveSvg.getAttribute("viewBox")) {
      liveSvg.setAttribute("viewBox", `0 0 ${liveSvg.getAttribute("width")} ${liveSvg.getAttribute("height")}`);
    }
    liveSvg.setAttribute("width", staticSvg.getAttribute("width"));
    liveSvg.setAttribute("height", staticSvg.getAttribute("height"));
    liveSvg.setAttribute("role", "group");
    liveSvg.setAttribute("aria-labelledby", staticSvg.getAttribute("aria-labelledby"));
    for (const item of tooltipItems(view.scenegraph().root)) {
      const element = item._svg;
      // Vega hides mark groups from assistive technology; a mark we make focusable must not be.
      for (let group = element; group && group !== liveSvg; group = group.parentNode) {
        group.removeAttribute("aria-hidden");
      }
      element.setAttribute("tabindex", "0");
      element.setAttribute("role", "img");
      element.setAttribute("aria-label", describe(item.tooltip));
      element.setAttribute("aria-describedby", tip.id);
      element.addEventListener("focus", () => {
        fillTooltip(tip, item.tooltip);
        const box = element.getBoundingClientRect();
        place(tip, frame, box.left + box.width / 2, box.top + box.height / 2);
      });
      element.addEventListener("blur", () => {
        tip.hidden = true;
      });
    }
    frame.addEventListener("pointerleave", () => {
      tip.hidden = true;
    });
    staticSvg.replaceWith(holder);
    figure.dataset.live = "true";
  } catch (error) {
    // The static chart is still there; say why the live one is not, without alarming readers.
    figure.dataset.live = "failed";
    console.warn(`Live chart ${figure.dataset.chartId} unavailable; showing the static chart.`, error);
  }
}

const INTENT = ["pointermove", "pointerdown", "touchstart", "keydown", "wheel", "scroll", "focusin"];

function whenReaderActs(callback) {
  let started = false;
  const go = () => {
    if (started) return;
    started = true;
    for (const type of INTENT) window.removeEventListener(type, go, true);
    callback();
  };
  for (const type of INTENT) window.addEventListener(type, go, { capture: true, passive: true });
}

function observe() {
  const figures = document.querySelectorAll("figure.chart[data-live-chart]");
  if (!("IntersectionObserver" in window)) {
    figures.forEach(hydrate);
    return;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        hydrate(entry.target);
      }
    },
    { rootMargin: "300px 0px" },
  );
  figures.forEach((figure) => observer.observe(figure));
}

if (document.querySelector("figure.chart[data-live-chart]")) whenReaderActs(observe);
