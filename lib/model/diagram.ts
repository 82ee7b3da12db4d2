/**
 * The module diagram of a {@link ModelConfig} as a standalone SVG string: the two feature streams,
 * fusion, attention (trunk, mask, ⊗, skip), reconstruction and classifier, with the shapes and
 * channel counts the config implies. Switched-off modules are drawn greyed and dashed, labelled
 * "off", so the ablation rows of Tables 1–3 can be compared side by side.
 *
 * @example
 * ```ts
 * await Deno.writeTextFile("model.svg", modelDiagram(preset("table2-no-attention")));
 * ```
 * @module
 */
import { featureGridSize, type ModelConfig, scaledChannels } from "./config.ts";

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const ON = { fill: "#eef4fb", stroke: "#2f5d8a", text: "#1b2a38" };
const OFF = { fill: "#f3f3f3", stroke: "#b8b8b8", text: "#9a9a9a" };

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function box(b: Box, title: string, lines: string[], on: boolean, kind: string): string {
  const c = on ? ON : OFF;
  const dash = on ? "" : ` stroke-dasharray="5 4"`;
  const t = on ? title : `${title} (off)`;
  const text = [
    `<text x="${b.x + b.w / 2}" y="${b.y + 17}" text-anchor="middle" font-weight="bold" fill="${c.text}">${
      esc(t)
    }</text>`,
    ...lines.map((l, i) =>
      `<text x="${b.x + b.w / 2}" y="${b.y + 34 + 14 * i}" text-anchor="middle" font-size="11" fill="${c.text}">${
        esc(l)
      }</text>`
    ),
  ];
  return `<g class="module ${kind}${
    on ? "" : " off"
  }"><rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="6" fill="${c.fill}" stroke="${c.stroke}"${dash}/>${
    text.join("")
  }</g>`;
}

function arrow(x1: number, y1: number, x2: number, y2: number, on = true, label = ""): string {
  const c = on ? "#444" : OFF.stroke;
  const dash = on ? "" : ` stroke-dasharray="4 3"`;
  const mid = label
    ? `<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 4}" text-anchor="middle" font-size="11" fill="${c}">${
      esc(label)
    }</text>`
    : "";
  const path = x1 === x2 || y1 === y2
    ? `M${x1},${y1} L${x2},${y2}`
    : `M${x1},${y1} L${(x1 + x2) / 2},${y1} L${(x1 + x2) / 2},${y2} L${x2},${y2}`;
  return `<path d="${path}" fill="none" stroke="${c}"${dash} marker-end="url(#arrow${on ? "" : "-off"})"/>${mid}`;
}

function op(x: number, y: number, symbol: string, on: boolean): string {
  const c = on ? ON : OFF;
  return `<g class="op"><circle cx="${x}" cy="${y}" r="11" fill="#fff" stroke="${c.stroke}"/><text x="${x}" y="${
    y + 5
  }" text-anchor="middle" font-size="15" fill="${c.text}">${symbol}</text></g>`;
}

/** The caption's name of a configuration: the complete network, or the modules it goes without. */
function variantName(cfg: ModelConfig): string {
  const without = [
    !cfg.featureExtraction && "feature extraction",
    !cfg.attention && "attention",
    !cfg.reconstruction && "reconstruction",
  ].filter((m): m is string => typeof m === "string");
  return without.length === 0 ? "Li et al. 2020, complete network" : `Li et al. 2020 without ${without.join(" and ")}`;
}

/**
 * Draws the network described by `cfg` as an SVG document (1040×400 user units), captioned with what the
 * configuration goes without, its input size, width, LBP and dilations.
 *
 * @example
 * ```ts
 * show(svgFigure(modelDiagram(preset("paper")))); // lib/viz: the SVG with its PNG, shown even untrusted
 * ```
 */
export function modelDiagram(cfg: ModelConfig): string {
  const s = cfg.inputSize;
  const g = featureGridSize(s);
  const c = scaledChannels(64, cfg.width);
  const vgg = [64, 128, 256, 512].map((ch) => scaledChannels(ch, cfg.width)).join("-");
  const hasLbp = cfg.lbp !== "none";
  const parts: string[] = [];

  // Column 1: inputs.
  const rawIn: Box = { x: 10, y: 40, w: 110, h: 60 };
  const lbpIn: Box = { x: 10, y: 250, w: 110, h: 60 };
  parts.push(box(rawIn, "raw image", [`${s}×${s}×${cfg.channels}`], true, "input"));
  parts.push(box(lbpIn, "LBP image", [hasLbp ? `${cfg.lbp} LBP` : "no LBP", `${s}×${s}×1`], hasLbp, "input lbp"));

  // Column 2: the two streams.
  const fe = cfg.featureExtraction;
  const streamLines = fe
    ? ["VGG-16 conv1_1…conv4_3", `conv3×3 ${vgg}, 3 pools`, `3 × conv1×1 → ${c}`]
    : ["no VGG front-end:", "8×8 avg pool", `3 × conv1×1 → ${c}`];
  const rawS: Box = { x: 145, y: 30, w: 215, h: 80 };
  const lbpS: Box = { x: 145, y: 240, w: 215, h: 80 };
  parts.push(box(rawS, fe ? "raw stream" : "raw stream (no FE)", streamLines, true, "stream raw"));
  parts.push(box(lbpS, fe ? "LBP stream" : "LBP stream (no FE)", streamLines, hasLbp, "stream lbp"));
  parts.push(arrow(rawIn.x + rawIn.w, 70, rawS.x, 70));
  parts.push(arrow(lbpIn.x + lbpIn.w, 280, lbpS.x, 280, hasLbp));

  // Column 3: fusion F3 = F1 + F2.
  const fx = 420, fy = 70;
  parts.push(op(fx, fy, "+", hasLbp));
  parts.push(arrow(rawS.x + rawS.w, 70, fx - 11, fy, true, "F1"));
  parts.push(`<text x="${fx}" y="${fy + 28}" text-anchor="middle" font-size="11">${g}×${g}×${c}</text>`);
  parts.push(arrow(lbpS.x + lbpS.w, 280, fx, fy + 11, hasLbp, "F2"));
  parts.push(`<text x="${fx}" y="${fy - 16}" text-anchor="middle" font-size="11">F3</text>`);

  // Column 4: attention.
  const att = cfg.attention;
  const trunk: Box = { x: 470, y: 30, w: 160, h: 60 };
  const mask: Box = { x: 470, y: 170, w: 160, h: 90 };
  const maskIn = !hasLbp ? "F3" : cfg.maskInput === "lbp" ? "F2" : "concat(F3, F2)";
  parts.push(box(trunk, "trunk branch", ["2 × conv3×3 → F_p"], att, "att trunk"));
  parts.push(
    box(mask, "mask branch", [`in: ${maskIn}`, "2 × conv3×3 → f_m", `F_m = σ(conv1×1(f_m))`], att, "att mask"),
  );
  parts.push(arrow(fx + 11, fy, trunk.x, fy, att));
  parts.push(arrow(fx, fy + 11, mask.x, 200, att));
  if (hasLbp) parts.push(arrow(lbpS.x + lbpS.w, 300, mask.x, 240, att, "F2"));
  const mx = 660, my = 60;
  parts.push(op(mx, my, "×", att));
  parts.push(arrow(trunk.x + trunk.w, my, mx - 11, my, att));
  parts.push(arrow(mask.x + mask.w, 215, mx, my + 11, att, "F_m"));
  const ax = 700;
  parts.push(op(ax, my, "+", att));
  parts.push(arrow(mx + 11, my, ax - 11, my, att));
  parts.push(
    `<path d="M${fx},${fy - 11} L${fx},14 L${ax},14 L${ax},${
      my - 11
    }" fill="none" stroke="#444" marker-end="url(#arrow)"/>`,
  );
  parts.push(
    `<text x="${(fx + ax) / 2}" y="11" text-anchor="middle" font-size="11">${
      att ? (cfg.attentionMode === "residual" ? "A = F_p⊗(1+F_m) + F3" : "A = F_p⊗F_m + F3") : "A = F3"
    }</text>`,
  );

  // Column 5: reconstruction.
  const rec = cfg.reconstruction;
  const recB: Box = { x: 735, y: 100, w: 165, h: 90 };
  parts.push(
    box(
      recB,
      "reconstruction",
      [
        `${cfg.dilations.length} dense atrous conv3×3`,
        `dilations ${cfg.dilations.join(", ")}`,
        "in: concat(A, earlier, F1)",
      ],
      rec,
      "rec",
    ),
  );
  parts.push(arrow(ax + 11, my, recB.x + 20, recB.y, rec));
  parts.push(
    `<path d="M${rawS.x + rawS.w - 20},${rawS.y + rawS.h} L${rawS.x + rawS.w - 20},345 L${recB.x + 40},345 L${
      recB.x + 40
    },${recB.y + recB.h}" fill="none" stroke="${rec ? "#444" : OFF.stroke}"${
      rec ? "" : ` stroke-dasharray="4 3"`
    } marker-end="url(#arrow${rec ? "" : "-off"})"/>`,
  );
  parts.push(`<text x="${recB.x + 46}" y="340" font-size="11" fill="${rec ? "#444" : OFF.text}">F1</text>`);

  // Column 6: classifier.
  const cls: Box = { x: 915, y: 215, w: 115, h: 100 };
  const fcs = cfg.fcUnits.map((u) => `FC ${u}`).join(" → ") || "no hidden FC";
  parts.push(
    box(
      cls,
      "classifier",
      [
        cfg.head === "gap" ? "global avg pool" : `flatten ${g * g * c}`,
        fcs,
        `dropout ${cfg.dropout}`,
        `softmax ${cfg.numClasses}`,
      ],
      true,
      "cls",
    ),
  );
  if (rec) parts.push(arrow(recB.x + recB.w, 145, cls.x + 55, cls.y));
  else parts.push(arrow(ax + 11, my, cls.x + 55, cls.y, true, att ? "" : "F3"));

  const title = `${variantName(cfg)}: ${s}×${s} input, width ${cfg.width}, ` +
    `${hasLbp ? `${cfg.lbp} LBP` : "no LBP"}, dilations ${cfg.dilations.join(", ")}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1040 400" width="1040" height="400" font-family="DejaVu Sans, sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker>`,
    `<marker id="arrow-off" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${OFF.stroke}"/></marker></defs>`,
    `<rect width="1040" height="400" fill="#fff"/>`,
    ...parts,
    `<text x="10" y="390" font-size="11" fill="#666">${esc(title)}</text>`,
    `</svg>`,
  ].join("\n");
}
